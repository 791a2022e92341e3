"""RegionResolver: a NUTS code of any loaded version -> the region of the version in use."""

import pytest

from ris3hub.regions.models import Region
from ris3hub.regions.resolve import RegionResolver


def code_of(pk):
    return Region.objects.get(pk=pk).code


@pytest.mark.django_db
def test_codes_of_the_target_version_resolve_to_themselves(nuts_regions):
    resolver = RegionResolver(2021)
    pk = resolver.resolve("ith55")
    assert Region.objects.get(pk=pk).version == 2021 and code_of(pk) == "ITH55"


@pytest.mark.django_db
def test_a_2016_code_that_changed_maps_to_its_2021_region(nuts_regions):
    resolver = RegionResolver(2021)
    assert code_of(resolver.resolve("ITG25")) == "ITG2D"  # Sassari, recoded
    assert code_of(resolver.resolve("ITG29")) == "ITG2D"  # Olbia-Tempio, merged into Sassari
    assert code_of(resolver.resolve("BE221")) == "BE224"
    assert code_of(resolver.resolve("HR04")) == "HR0"  # split into HR02, HR05, HR06: the region holding all three
    assert code_of(resolver.resolve("NO061")) == "NO060"
    assert code_of(resolver.resolve("FR24")) == "FRB0"  # NUTS 2013, two steps


@pytest.mark.django_db
def test_the_source_version_decides_for_a_code_that_was_reused(nuts_regions):
    resolver = RegionResolver(2024)
    assert code_of(resolver.resolve("DEG04")) == "DEG0S"  # a 2021 code, shifted in 2024
    assert code_of(resolver.resolve("DEG0N")) == "DEG0"  # merged away in 2024: its parent's counterpart
    assert code_of(resolver.resolve("ITH55", version=2016)) == "ITH55"
    with pytest.raises(ValueError, match="'DEG0S' is not a NUTS 2021 code"):
        resolver.resolve("DEG0S", version=2021)


@pytest.mark.django_db
def test_unknown_codes_and_versions_are_errors(nuts_regions):
    resolver = RegionResolver(2021)
    with pytest.raises(ValueError, match=r"'XX999' is not a NUTS code of any loaded version \(2013, 2016, 2021, 2024\)"):
        resolver.resolve("XX999")
    with pytest.raises(ValueError, match="no NUTS 2030 regions are loaded"):
        RegionResolver(2030).resolve("ITH5")
