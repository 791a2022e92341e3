"""One organisation, one record: the OrganisationResolver across sources."""

import pytest

from ris3hub.core.loading import ImportContext, ImportReport
from ris3hub.registry.matching import OrganisationResolver, clean_pic, clean_vat, unnamed
from ris3hub.registry.models import ExternalId, Organisation

pytestmark = pytest.mark.django_db


def resolver(batch=False):
    ctx = ImportContext(ImportReport(kind="test", files=[]), progress=False)
    return OrganisationResolver(ctx, batch=batch), ctx


def test_same_pic_is_the_same_organisation_and_fills_what_was_missing():
    r, ctx = resolver()
    first = r.resolve({"pic": "999644559", "name": "EUROPEAN SPACE AGENCY", "city": "PARIS", "country": "FR"},
                      external=("cordis-pic", "999644559"))
    again = r.resolve({"pic": "999644559", "name": "European Space Agency", "short_name": "ESA", "kind": "research"})
    assert again.pk == first.pk and Organisation.objects.count() == 1
    stored = Organisation.objects.get()
    assert (stored.name, stored.short_name, stored.kind) == ("EUROPEAN SPACE AGENCY", "ESA", "research")
    ctx.flush()
    assert ExternalId.objects.get().organisation == stored


def test_normalised_name_in_the_same_city_is_the_same_organisation():
    r, _ = resolver()
    a = r.resolve({"name": "ACME S.r.l.", "city": "Bologna", "country": "IT"})
    b = r.resolve({"name": "Acme SRL", "city": "BOLOGNA", "country": "IT", "vat": "IT 01234567890"})
    c = r.resolve({"name": "Acme SRL", "city": "Modena", "country": "IT"})
    assert a.pk == b.pk != c.pk
    assert Organisation.objects.get(pk=a.pk).vat == "IT01234567890"


def test_different_pics_are_never_merged_even_with_one_vat_number():
    r, _ = resolver()
    nestle = r.resolve({"pic": "891864367", "vat": "CHE116281710TVA", "name": "NESTLE SUISSE SA", "city": "VEVEY"})
    produits = r.resolve({"pic": "897892917", "vat": "CHE116281710TVA", "name": "SOCIETE DES PRODUITS NESTLE SA",
                          "city": "VEVEY"})
    assert nestle.pk != produits.pk
    same = r.resolve({"vat": "CHE116281710TVA", "name": "Nestlé Suisse"})
    assert same.pk == nestle.pk  # no PIC: the VAT number decides
    twin = r.resolve({"pic": "123456789", "name": "NESTLE SUISSE SA", "city": "VEVEY"})
    assert twin.pk not in (nestle.pk, produits.pk)


def test_an_organisation_known_only_by_pic_gets_its_name_later():
    r, _ = resolver()
    org = r.resolve({"pic": "918327616"})
    assert org.name == unnamed("918327616") == "PIC 918327616"
    r.resolve({"pic": "918327616", "name": "ACME LTD", "city": "LONDON"})
    org.refresh_from_db()
    assert (org.name, org.normalised_name, org.city) == ("ACME LTD", "acme", "LONDON")
    with pytest.raises(ValueError, match="needs a name or a PIC"):
        r.resolve({"city": "LONDON"})


def test_counts_each_organisation_once_per_import():
    r, ctx = resolver()
    r.resolve({"pic": "1000001", "name": "A"})
    r.resolve({"pic": "1000001", "name": "A"})
    r.resolve({"pic": "1000002", "name": "B"})
    assert dict(ctx.report.counts["registry.Organisation"]) == {"created": 2}
    r2, ctx2 = resolver()
    r2.resolve({"pic": "1000001", "name": "A"})
    r2.resolve({"pic": "1000002", "name": "B", "city": "ROMA"})
    r2.resolve({"pic": "1000002", "name": "B"})
    assert dict(ctx2.report.counts["registry.Organisation"]) == {"unchanged": 1, "updated": 1}


def test_batch_mode_writes_on_flush_with_ids_and_external_ids():
    r, ctx = resolver(batch=True)
    new = r.resolve({"pic": "1000003", "name": "Università di Bologna", "city": "Bologna"},
                    external=("cordis-pic", "1000003"))
    same = r.resolve({"pic": "1000003", "name": "UNIBO", "kind": "university"})
    assert new is same and new.pk is None and not Organisation.objects.exists()
    r.flush()
    ctx.flush()
    stored = Organisation.objects.get()
    assert stored.pk == new.pk and stored.normalised_name == "universita di bologna" and stored.kind == "university"
    assert ExternalId.objects.get(source="cordis-pic").organisation_id == stored.pk

    later, ctx2 = resolver(batch=True)
    later.resolve({"pic": "1000003", "name": "x", "website": "http://www.unibo.it"})
    assert Organisation.objects.get().website == ""
    later.flush()
    assert Organisation.objects.get().website == "http://www.unibo.it"
    assert dict(ctx2.report.counts["registry.Organisation"]) == {"updated": 1}


def test_identifier_cleaning():
    assert clean_vat("IT 012.345") == "IT012345" and clean_vat(".") == "" and clean_vat("NA") == ""
    assert clean_pic(999644559.0) == "999644559" and clean_pic("NA") == "" and clean_pic(" 12 ") == "12"


@pytest.mark.django_db
def test_a_record_without_city_joins_the_one_organisation_of_that_name_in_its_country():
    ctx = ImportContext(ImportReport(kind="test", files=[]), progress=False)
    resolver = OrganisationResolver(ctx)
    cordis = resolver.resolve({"name": "Alma Mater Studiorum - Università di Bologna", "pic": "999993953",
                               "city": "BOLOGNA", "country": "IT"})
    parent = resolver.resolve({"name": "Alma Mater Studiorum Università di Bologna", "country": "IT"})
    assert parent.pk == cordis.pk
    elsewhere = resolver.resolve({"name": "Alma Mater Studiorum Università di Bologna", "country": "FR"})
    assert elsewhere.pk != cordis.pk


@pytest.mark.django_db
def test_a_record_without_city_stays_apart_when_the_name_is_ambiguous():
    ctx = ImportContext(ImportReport(kind="test", files=[]), progress=False)
    resolver = OrganisationResolver(ctx)
    a = resolver.resolve({"name": "Istituto Tecnico", "city": "Roma", "country": "IT"})
    b = resolver.resolve({"name": "Istituto Tecnico", "city": "Milano", "country": "IT"})
    c = resolver.resolve({"name": "Istituto Tecnico", "country": "IT"})
    assert len({a.pk, b.pk, c.pk}) == 3
