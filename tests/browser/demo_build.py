"""The browser tests' demo database, built by `ris3hub demo --no-serve` (as `make demo` does).

The build encodes the demo's search index, many minutes of one process. tests/conftest.py starts it as
soon as the suite is collected, in the background, and runs the browser tests last: the other tests
use the second core meanwhile. The demo_data_dir fixture waits for it (or starts it itself when only
browser tests were chosen).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

STASH_KEY = pytest.StashKey["DemoBuild"]()


def demo_env(data_dir: Path) -> dict[str, str]:
    """The environment of a `ris3hub` command on the demo database (SQLite in ``data_dir``)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["RIS3HUB_DATA_DIR"] = str(data_dir)
    return env


class DemoBuild:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.log = data_dir.parent / f"{data_dir.name}-build.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "ris3hub.cli", "demo", "--no-serve"],
                                            env=demo_env(data_dir),
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait(self) -> Path:
        if self.process.wait() != 0:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
            pytest.fail(f"`ris3hub demo --no-serve` failed (exit {self.process.returncode}); its output ends:\n{tail}")
        return self.data_dir

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def start(config) -> DemoBuild:
    build = config.stash.get(STASH_KEY, None)
    if build is None:
        build = DemoBuild(config._tmp_path_factory.mktemp("demo"))
        config.stash[STASH_KEY] = build
    return build
