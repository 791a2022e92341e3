"""Serving the application with gunicorn (static files through WhiteNoise)."""

from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from ris3hub.wsgi import application

        return application


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 2, threads: int = 4,
          access_log: bool = True) -> int:
    """gunicorn with ``workers`` processes of ``threads`` threads (gthread: keep-alive connections wait in
    a poller, not in a thread); the access log goes to standard output unless ``access_log`` is off."""
    print(f"ris3hub is serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    _Server({
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "keepalive": 5,
        "accesslog": "-" if access_log else None,
        "timeout": 120,
    }).run()
    return 0
