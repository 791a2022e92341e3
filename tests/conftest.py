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
    # Tests make requests faster than any visitor: rate limits would answer 429 at random.
    # tests/security_settings switches them on where it tests them.
    os.environ.setdefault("RIS3HUB_RATE_LIMITS", "off")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Argon2 (settings.PASSWORD_HASHERS) spends ~1 s of CPU a hash by design; tests hash with MD5.
    tests/security_settings/test_passwords.py checks that the real settings put Argon2 first."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with no cached page part in this process's memory, and its first write retires
    the cached parts at once (a test's writes are never committed, so the after-commit retirement that
    serves the site would not happen inside it)."""
    from ris3hub.core import caching

    caching._recent.clear()
    caching._served_since_bump = True
    yield


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server", "django_db_setup"}


def _uses_database(item) -> bool:
    return (item.get_closest_marker("django_db") is not None
            or bool(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))))


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite twice: on SQLite, then on PostgreSQL. A test that never opens the
    database (engines, pure importers, documents) answers the same on both, so the PostgreSQL run
    keeps only the tests that use it (RIS3HUB_TEST_ALL_ON_POSTGRES=1 keeps everything)."""
    # Browser tests last: their demo database is built in the background meanwhile (pytest_collection_finish).
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or os.environ.get("RIS3HUB_TEST_ALL_ON_POSTGRES"):
        return
    kept, deselected = [], []
    for item in items:
        (kept if _uses_database(item) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_collection_finish(session):
    """Start building the browser tests' demo database now, in the background (tests/browser/demo_build.py)."""
    if session.config.option.collectonly or not any(item.get_closest_marker("browser") for item in session.items):
        return
    from demo_build import start  # tests/browser, on sys.path once its conftest is loaded

    start(session.config)


def pytest_unconfigure(config):
    import sys

    demo_build = sys.modules.get("demo_build")
    build = demo_build and config.stash.get(demo_build.STASH_KEY, None)
    if build is not None:
        build.stop()
