"""Registry actions: each validates its input and writes atomically."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ris3hub.registry.actions import (
    do_add_competence,
    do_add_equipment,
    do_add_member,
    do_add_service,
    do_create_organisation,
    do_record_contract,
)
from ris3hub.registry.models import ExternalId, Membership, Organisation
from ris3hub.taxonomy.actions import do_add_concept, do_create_scheme


@pytest.fixture
def network(db):
    """A technopole, a lab in it, a company: the smallest network."""
    technopole = do_create_organisation("Tecnopolo di Modena", "technopole", city="Modena",
                                        external={"registry": "tecnopolo-modena"})
    lab = do_create_organisation("InterMech MO.RE.", "laboratory", city="Modena")
    company = do_create_organisation("ACME S.r.l.", "company", vat="IT 01234567890", is_sme=True)
    return technopole, lab, company


@pytest.mark.django_db
def test_create_organisation(network):
    technopole, _, company = network
    assert ExternalId.objects.get(source="registry", value="tecnopolo-modena").organisation == technopole
    assert company.vat == "IT01234567890" and company.normalised_name == "acme"
    scheme = do_create_scheme("er-rat", "Rete Alta Tecnologia")
    ict = do_add_concept(scheme, "ict-e-design", "ICT e design")
    spinoff = do_create_organisation("Tamerici", "spinoff", trl=9, country="IT", domains=[ict])
    assert spinoff.trl == 9 and list(spinoff.domains.all()) == [ict]


@pytest.mark.django_db
@pytest.mark.parametrize("args, kwargs, message", [
    (("",), {}, "the name is required"),
    (("X", "lab"), {}, "'lab' is not allowed; use one of company, university"),
    (("X", "spinoff"), {"trl": 10}, "TRL 10 is not a whole number from 1 to 9"),
    (("X",), {"vat": "IT01234567890"}, "VAT IT01234567890 is already the VAT of ACME S.r.l."),
    (("X",), {"external": {"registry": "tecnopolo-modena"}}, "registry identifier tecnopolo-modena already belongs"),
    (("X",), {"website": "not a url"}, "Enter a valid URL"),
    (("X",), {"colour": "red"}, "unknown field(s) colour"),
])
def test_create_organisation_refuses_bad_input_and_writes_nothing(network, args, kwargs, message):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        do_create_organisation(*args, **kwargs)
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_add_member(network):
    technopole, lab, company = network
    membership = do_add_member(technopole, lab, "lab_in_technopole", "accredited", date(2021, 1, 1))
    assert (membership.member, membership.network, membership.status) == (lab, technopole, "accredited")
    assert list(technopole.members.all()) == [membership]


@pytest.mark.django_db
def test_add_member_refuses_what_does_not_fit_a_network(network):
    technopole, lab, company = network
    do_add_member(technopole, lab, "lab_in_technopole")
    cases = [
        ((technopole, lab, "lab_in_technopole"), {}, "already a member"),
        ((lab, company, "lab_in_technopole"), {}, "needs a network of kind technopole; InterMech MO.RE. is of kind "
                                                  "laboratory"),
        ((technopole, technopole), {}, "cannot be a member of itself"),
        ((lab, technopole), {}, r"InterMech MO.RE. is itself \(directly or not\) a member of Tecnopolo di Modena"),
        ((technopole, company), {"status": "maybe"}, "'maybe' is not allowed"),
        ((technopole, company, "club"), {}, "'club' is not allowed"),
        ((technopole, company), {"start": date(2022, 1, 1), "end": date(2021, 1, 1)}, "ends .* before it starts"),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            do_add_member(*args, **kwargs)
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_competences_equipment_services(network):
    _, lab, _ = network
    assert do_add_competence(lab, "Vehicle dynamics").organisation == lab
    with pytest.raises(ValidationError, match="already has the competence 'Vehicle dynamics'"):
        do_add_competence(lab, "Vehicle dynamics")
    bench = do_add_equipment(lab, "Engine test bench", access="rental", booking_contact="lab@example.org")
    assert bench.access == "rental"
    with pytest.raises(ValidationError, match="'borrow' is not allowed"):
        do_add_equipment(lab, "Wind tunnel", access="borrow")
    assert do_add_service(lab, "testing", "Homologation tests").category == "testing"
    with pytest.raises(ValidationError, match="'consulting' is not allowed; use one of dissemination"):
        do_add_service(lab, "consulting", "Advice")
    with pytest.raises(ValidationError, match="needs a name"):
        do_add_service(lab, "testing", "")


@pytest.mark.django_db
def test_record_contract(network):
    _, lab, company = network
    contract = do_record_contract(lab, company, "2023/117", title="Coatings", value="48000.50", date=date(2023, 5, 16))
    assert contract.value == Decimal("48000.50") and list(lab.contracts_as_lab.all()) == [contract]
    for kwargs, message in [
        ({"company": company, "reference": "2023/117"}, "already has a contract with reference '2023/117'"),
        ({"company": lab, "reference": "X"}, "cannot have a contract with itself"),
        ({"company": company, "reference": "Y", "value": -1}, "the value -1 is negative"),
        ({"company": company, "reference": "Z", "value": "a lot"}, "'a lot' is not an amount"),
        ({"company": company, "reference": " "}, "needs a reference"),
    ]:
        with pytest.raises(ValidationError, match=message):
            do_record_contract(lab, **kwargs)
    assert lab.contracts_as_lab.count() == 1
