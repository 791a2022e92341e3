"""`python -m ris3hub.registry.template`: rewrite the shipped blank template files."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ris3hub.settings")
django.setup()

from ris3hub.registry.template import main  # noqa: E402  (needs Django set up)

main()
