"""A real server on the real demo database, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_data_dir(request) -> Path:
    """The demo database (tests/browser/demo_build.py), built once per run."""
    from demo_build import start

    return start(request.config).wait()


@pytest.fixture(scope="module")
def demo_event(demo_data_dir) -> str:
    """The demo event's slug, the event rebuilt with its meetings accepted and not placed (once per module)."""
    from demo_build import demo_env

    from ris3hub.events.demo import SLUG

    subprocess.run([sys.executable, "-m", "ris3hub.cli", "event", "demo", "--no-schedule"], env=demo_env(demo_data_dir),
                   check=True, capture_output=True, text=True)
    return SLUG


@pytest.fixture(scope="session")
def live_server_url(demo_data_dir) -> str:
    from demo_build import demo_env

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ris3hub.cli", "serve", "--port", str(port), "--workers", "2"],
                            env=demo_env(demo_data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/", timeout=5)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("`ris3hub serve` exited before answering")
                time.sleep(0.5)
        else:
            pytest.fail("`ris3hub serve` did not answer within 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
