"""What a public platform owes its users on the wire and at the door.

Production settings that refuse to start unsafe (production.py), the cache shared by the
server's workers (caches.py), the client's address behind a proxy (clientip.py), login
throttling with django-axes (login_throttle.py), rate limits with django-ratelimit
(ratelimits.py), upload checks for every form with a file (uploads.py) and the system checks
that keep them honest (checks.py). Modules imported by ris3hub/settings.py import no models.
"""
