import pytest

from ris3hub.core.loading import run_import
from ris3hub.regions.models import NutsChange, Region


@pytest.fixture(scope="module")
def nuts_regions(django_db_setup, django_db_blocker, shared_data):
    """The regions and change tables of the three Eurostat NUTS workbooks, imported once per module
    and removed after it (other modules build their own regions)."""
    with django_db_blocker.unblock():
        report = run_import("nuts", sorted((shared_data / "nuts").glob("*.xlsx")), progress=False)
        assert report.committed, [str(e) for e in report.errors]
        yield report
        NutsChange.objects.all().delete()
        Region.objects.all().delete()
