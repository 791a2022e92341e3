"""Writes to projects and participations through the actions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ris3hub.projects.actions import (
    do_add_participation, do_change_participation, do_classify_project, do_create_project, do_remove_participation,
)
from ris3hub.projects.models import Participation, Project
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation
from ris3hub.taxonomy.models import Concept, Scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return do_create_project("101036071", "Digital IncubatOr fOR muSeums", framework="H2020", acronym="DOORS",
                             start=date(2021, 10, 1), end=date(2023, 9, 30), eu_contribution="1000000")


@pytest.fixture
def ars():
    region = Region.objects.create(version=2021, code="AT312", level=3, country="AT", name_latn="Linz-Wels")
    return Organisation.objects.create(name="ARS ELECTRONICA LINZ GMBH & CO KG", pic="905834016", region=region)


@pytest.fixture
def booster():
    return Organisation.objects.create(name="MUSEUM BOOSTER GMBH", pic="891930715")


def test_a_project_is_created_once(project):
    assert (str(project), project.eu_contribution) == ("DOORS", Decimal("1000000.00"))
    with pytest.raises(ValidationError) as exc:
        do_create_project("101036071", "Again")
    assert exc.value.message_dict == {"number": ["project 101036071 already exists"]}


def test_a_project_needs_a_number_a_title_and_dates_in_order():
    with pytest.raises(ValidationError) as exc:
        do_create_project("not a number!", "", start=date(2022, 1, 1), end=date(2021, 1, 1))
    assert set(exc.value.message_dict) == {"number", "title", "end"}
    assert not Project.objects.exists()
    minimal = do_create_project("101131342", "", acronym="HOPON")
    assert str(minimal) == "HOPON"


def test_participations(project, ars, booster):
    coordinator = do_add_participation(project, ars, "coordinator", eu_contribution="135500")
    assert (coordinator.role, coordinator.eu_contribution, coordinator.region.code) == (
        "coordinator", Decimal("135500.00"), "AT312")
    with pytest.raises(ValidationError, match="already takes part"):
        do_add_participation(project, ars)
    with pytest.raises(ValidationError, match="already coordinated by ARS ELECTRONICA"):
        do_add_participation(project, booster, "coordinator")
    with pytest.raises(ValidationError, match="'boss' is not a role"):
        do_add_participation(project, booster, "boss")
    with pytest.raises(ValidationError, match="'-3' is not an amount"):
        do_add_participation(project, booster, eu_contribution=-3)
    participant = do_add_participation(project, booster, eu_contribution=Decimal("130250"))
    assert participant.region is None
    do_change_participation(participant, role="third_party", eu_contribution=None)
    participant.refresh_from_db()
    assert (participant.role, participant.eu_contribution) == ("third_party", None)
    with pytest.raises(ValidationError, match="already coordinated"):
        do_change_participation(participant, role="coordinator")
    do_remove_participation(project, booster)
    assert list(Participation.objects.values_list("organisation__pic", flat=True)) == ["905834016"]
    with pytest.raises(ValidationError, match="does not take part"):
        do_remove_participation(project, booster)


def test_classifying_a_project_adds_only_new_concepts(project):
    scheme = Scheme.objects.create(code="euroscivoc", name="EuroSciVoc")
    arts = Concept.objects.create(scheme=scheme, code="/31/109", label="arts")
    media = Concept.objects.create(scheme=scheme, code="/29/103", label="media and communications")
    assert do_classify_project(project, [arts]) == [arts]
    assert do_classify_project(project, [arts, media]) == [media]
    assert set(project.concepts.all()) == {arts, media}
