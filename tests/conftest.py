import os
from pathlib import Path

import pytest

from ris3hub import conf

SHARED = Path(conf.get("RIS3HUB_SHARED_DATA"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared open data folder {SHARED} is missing; set RIS3HUB_SHARED_DATA")
    return SHARED


def pytest_configure(config):
    os.environ.setdefault("RIS3HUB_DATA_DIR", str(Path(config.rootpath) / "var" / "test"))
