"""Region x domain matrices from the registry, checked against counts made by hand (see conftest)."""

import numpy as np
import pytest

from ris3hub.analytics import cache, matrices
from ris3hub.analytics.matrices import MatrixSpec
from ris3hub.importers.base import InputError
from ris3hub.projects.models import Participation


def as_dict(panel, years=None):
    regions, domains, values = panel.matrix(years)
    return {(r, d): values[i, j] for i, r in enumerate(regions) for j, d in enumerate(domains) if values[i, j]}


def test_thematic_priorities_counted_at_nuts_2(s3_data):
    panel = matrices.build_panel(MatrixSpec("thematic", level=2))
    # FU Berlin's P1 participation has no region of its own: it counts where FU Berlin is.
    # Nowhere Ltd has no region at all and P4 has no thematic priority: neither counts.
    assert as_dict(panel) == {("DE30", "ICT"): 2, ("ITC4", "ICT"): 1, ("ITH5", "Health"): 2, ("ITH5", "ICT"): 2}
    assert panel.labels == {"ICT": "ICT", "Health": "Health"}
    # Years: P1 started in 2020; P3 has no start, so its signature (2021) dates it.
    assert as_dict(panel, (2020, 2020)) == {("DE30", "ICT"): 1, ("ITC4", "ICT"): 1, ("ITH5", "ICT"): 1}
    assert panel.years() == [2020, 2021]


def test_weighted_by_eu_contribution_and_other_levels(s3_data):
    eu = as_dict(matrices.build_panel(MatrixSpec("thematic", level=2, weight="eu")))
    assert eu == {("DE30", "ICT"): 70.0, ("ITC4", "ICT"): 50.0, ("ITH5", "Health"): 220.0, ("ITH5", "ICT"): 110.0}
    assert as_dict(matrices.build_panel(MatrixSpec("thematic", level=3))) == {
        ("DE300", "ICT"): 2, ("ITC4C", "ICT"): 1, ("ITH54", "Health"): 1, ("ITH54", "ICT"): 1,
        ("ITH55", "Health"): 1, ("ITH55", "ICT"): 1}
    assert as_dict(matrices.build_panel(MatrixSpec("thematic", level=0))) == {
        ("DE", "ICT"): 2, ("IT", "Health"): 2, ("IT", "ICT"): 3}


def test_euroscivoc_fields_at_a_depth(s3_data):
    depth2 = matrices.build_panel(MatrixSpec("euroscivoc", level=2, depth=2))
    # P3 is in computing and (through nutrition) health sciences: it counts fully in both.
    assert as_dict(depth2) == {("DE30", "/21/33"): 1, ("DE30", "/23/47"): 2, ("ITC4", "/23/47"): 1,
                               ("ITH5", "/21/33"): 3, ("ITH5", "/23/47"): 2}
    assert depth2.label("/23/47") == "computer and information sciences"
    depth1 = matrices.build_panel(MatrixSpec("euroscivoc", level=2, depth=1))
    assert as_dict(depth1) == {("DE30", "/21"): 1, ("DE30", "/23"): 2, ("ITC4", "/23"): 1, ("ITH5", "/21"): 3,
                               ("ITH5", "/23"): 2}
    # At depth 3 only the projects classified that deep count (P2 is in health sciences only).
    depth3 = matrices.build_panel(MatrixSpec("euroscivoc", level=2, depth=3))
    assert as_dict(depth3) == {("DE30", "/21/33/117"): 1, ("ITC4", "/23/47/297"): 1, ("DE30", "/23/47/297"): 1,
                               ("ITH5", "/21/33/117"): 1, ("ITH5", "/23/47/297"): 1}


def test_call_topics(s3_data):
    panel = matrices.build_panel(MatrixSpec("topic", level=2))
    # P1 has no topic code: its call stands for it.
    assert as_dict(panel) == {("DE30", "CALL-1"): 1, ("ITC4", "CALL-1"): 1, ("ITH5", "CALL-1"): 1, ("ITH5", "T-1"): 1}
    assert panel.label("T-1") == "T-1 Topic one"


def test_eurito_counts_of_one_level_mapped_to_the_nuts_version_in_use(s3_data):
    panel = matrices.build_panel(MatrixSpec("eurito", level=2))
    # ITD5 (NUTS 2010) is ITH5; the NUTS-3 Bologna row, the LQ indicator and the empty value are left out.
    assert as_dict(panel) == {("DE30", "arxiv"): 50, ("DE30", "deep_learning"): 5, ("ITC4", "arxiv"): 30,
                              ("ITH5", "arxiv"): 100, ("ITH5", "deep_learning"): 14}
    assert panel.label("deep_learning") == "Deep Learning preprints"
    assert panel.years() == [2012, 2019, 2020]
    long = panel.long()
    assert list(long.columns) == ["time", "region", "domain", "value"]
    assert long[(long.region == "ITH5") & (long.domain == "deep_learning")]["value"].tolist() == [4.0, 10.0]
    assert as_dict(matrices.build_panel(MatrixSpec("eurito", level=3))) == {("ITH55", "deep_learning"): 7}


def test_a_weight_a_scheme_does_not_have_is_refused():
    with pytest.raises(ValueError, match="weighted by count"):
        MatrixSpec("eurito", weight="eu")
    with pytest.raises(ValueError, match="not a scheme"):
        MatrixSpec("patents")
    with pytest.raises(ValueError, match="level 4"):
        MatrixSpec("thematic", level=4)


def test_the_cache_is_rebuilt_when_the_data_changes(s3_data):
    spec = MatrixSpec("thematic", level=2)
    first = cache.panel(spec)
    assert cache.panel(spec) is first
    Participation.objects.filter(project__number="P2").delete()
    second = cache.panel(spec)
    assert second is not first
    assert ("ITH5", "Health") not in as_dict(second)


def test_domain_keys_of_the_registry(s3_data):
    assert matrices.domain_keys("thematic") == {"ICT", "Health"}
    assert matrices.domain_keys("topic") == {"T-1", "CALL-1"}
    assert matrices.domain_keys("eurito") == {"deep_learning", "arxiv"}


def write(tmp_path, text):
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_users_long_table(s3_data, tmp_path):
    path = write(tmp_path, "region,domain,year,value,label\nITH5,bio,2020,3,Biotech\nITD5,bio,2021,2,\n"
                           "DE30,bio,2020,1,\nDE30,ict,2020,4,\n")
    panel = matrices.panel_from_csv(path)
    assert panel.level == 2
    assert as_dict(panel) == {("DE30", "bio"): 1, ("DE30", "ict"): 4, ("ITH5", "bio"): 5}
    assert panel.label("bio") == "Biotech" and panel.label("ict") == "ict"
    # With a level, finer regions are summed up to it.
    cut = matrices.panel_from_csv(write(tmp_path, "region,domain,value\nITH55,bio,2\nITH54,bio,3\n"), level=2)
    assert as_dict(cut) == {("ITH5", "bio"): 5}
    _, _, values = cut.matrix()
    assert isinstance(values, np.ndarray) and values.shape == (1, 1)


def test_a_broken_long_table_names_every_problem(s3_data, tmp_path):
    path = write(tmp_path, "region,domain,year,value\nXX9,bio,2020,1\nITH5,bio,2020,-2\nITH5,,2020,1\n"
                           "ITH5,ict,20x0,1\nDE30,ict,2020,1\nDE30,ict,2020,2\nITH5,ict,2020,\n")
    with pytest.raises(InputError) as caught:
        matrices.panel_from_csv(path)
    found = {(e.line, e.column): e.reason for e in caught.value.errors}
    assert "not a NUTS code" in found[(2, "region")]
    assert "negative" in found[(3, "value")]
    assert "empty domain" in found[(4, "domain")]
    assert "not a year" in found[(5, "year")]
    assert "given twice (also on line 6)" in found[(7, "region")]
    assert "empty value" in found[(8, "value")]
    with pytest.raises(InputError, match="several NUTS levels"):
        matrices.panel_from_csv(write(tmp_path, "region,domain,value\nITH5,a,1\nITH55,a,1\n"))
    with pytest.raises(InputError, match="coarser than level 3"):
        matrices.panel_from_csv(write(tmp_path, "region,domain,value\nITH5,a,1\n"), level=3)
    with pytest.raises(InputError, match="header and no rows"):
        matrices.panel_from_csv(write(tmp_path, "region,domain,value\n"))


def test_counts_are_stored_for_other_processes(s3_data, monkeypatch):
    """A process that has not counted a matrix reads the counts another one stored."""
    from ris3hub.analytics.models import StoredPanel

    spec = MatrixSpec("thematic", level=2, weight="eu")
    counted = cache.panel(spec)
    assert StoredPanel.objects.get(key="thematic:2:eu:None").labels == {"ICT": "ICT", "Health": "Health"}
    cache.clear()  # as in a new process

    def must_not_count(spec):
        raise AssertionError("counted again")

    monkeypatch.setattr(matrices, "build_panel", must_not_count)
    stored = cache.panel(spec)
    assert as_dict(stored) == as_dict(counted)
    assert stored.counts["year"].dtype == counted.counts["year"].dtype
    # New data: the stored counts are of an older version and are counted again.
    Participation.objects.filter(project__number="P2").delete()
    cache.clear()
    with pytest.raises(AssertionError, match="counted again"):
        cache.panel(spec)
