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


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 2) -> int:
    print(f"ris3hub is serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    _Server({
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": 4,
        "accesslog": "-",
        "timeout": 120,
    }).run()
    return 0
