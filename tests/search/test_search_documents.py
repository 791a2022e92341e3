"""Registry records as search documents: ids, texts, source ids and facets."""

import pytest

from ris3hub.registry.models import ExternalId, Organisation
from ris3hub.search import documents
from ris3hub.search.models import IndexChange

pytestmark = pytest.mark.django_db


def _by_id(docs):
    return {d.id: d for d in docs}


def test_every_kind_of_record_becomes_a_document(ecosystem, spinoff_records):
    docs = _by_id(documents.all_documents())
    e = ecosystem
    lab = docs[f"laboratory:{e.lab.pk}"]
    assert lab.name == "CIRI Agroalimentare"
    assert "sicurezza alimentare" in lab.text and "Food safety" in lab.text  # both languages, competences
    assert "Agrifood (Agroalimentare)" in lab.text  # domains with their Italian label
    assert lab.facets.regions == ("ITH55", "ITH5", "ITH", "IT")
    assert lab.facets.countries == ("IT",) and lab.facets.trl == 5 and lab.facets.domains == (e.agrifood.pk,)

    company = docs[f"organisation:{e.company.pk}"]
    assert company.source_id == "912345678"  # the PIC
    assert company.facets.is_sme is True and company.facets.org_kind == "company"
    assert "battery management" in company.text  # what it is looking for

    competence = next(d for d in docs.values() if d.kind == "competence" and d.name == "Food safety")
    assert competence.facets.organisation == e.lab.pk and competence.facets.regions[0] == "ITH55"
    assert docs[next(i for i in docs if i.startswith("equipment:"))].facets.organisation == e.lab.pk
    service = next(d for d in docs.values() if d.kind == "service" and d.name == "Shelf-life testing")
    assert service.text.startswith("Shelf-life testing — CIRI Agroalimentare")

    project = docs[f"project:{e.food.pk}"]
    assert project.source_id == "101000001" and project.name == "FOODNET — A network for safer food"
    assert set(project.facets.regions) >= {"ITH55", "ITF33", "ITF3", "IT"}
    assert project.facets.domains == (e.agrifood.pk,)

    priority = next(d for d in docs.values() if d.kind == "priority" and d.source_id == "CA1")
    assert priority.facets.regions == ("ITF3", "ITF", "IT") and "Aerospazio" in priority.text

    call = docs[f"call:{e.open_call.pk}"]
    assert call.source_id == "HORIZON-CL6-2030-FOOD-01" and call.facets.deadline == e.open_call.deadline.isoformat()


def test_spinoffs_are_found_by_their_knowledge_share_id(ecosystem, spinoff_records):
    spinoffs = [d for d in documents.all_documents() if d.kind == "spinoff"]
    assert sorted(d.source_id for d in spinoffs) == sorted(str(r["id"]) for r in spinoff_records)
    first = next(d for d in spinoffs if d.source_id == str(spinoff_records[0]["id"]))
    assert spinoff_records[0]["abstract"][:60] in first.text


def test_an_organisation_known_by_a_spinoff_id_is_a_spinoff_whatever_its_kind(ecosystem):
    ExternalId.objects.create(organisation=ecosystem.supplier, source="knowledge-share", value="99999")
    doc = next(documents.organisation_documents({ecosystem.supplier.pk}))
    assert doc.id == f"spinoff:{ecosystem.supplier.pk}" and doc.source_id == "99999"


def test_default_scope_leaves_out_names_alone_and_untitled_projects(ecosystem):
    bare = Organisation.objects.create(name="Nameonly Srl", kind="company", country="IT")
    default = _by_id(documents.all_documents())
    everything = _by_id(documents.all_documents(scope="all"))
    assert f"organisation:{bare.pk}" not in default and f"organisation:{bare.pk}" in everything
    assert f"project:{ecosystem.untitled.pk}" not in default
    assert everything[f"project:{ecosystem.untitled.pk}"].name == "MSCA Staff Exchanges"
    with pytest.raises(ValueError, match="unknown scope"):
        list(documents.all_documents(scope="some"))


def test_saving_and_deleting_records_queues_them(ecosystem):
    IndexChange.objects.all().delete()
    e = ecosystem
    e.company.description = "Electric motors"
    e.company.save()
    e.company.domains.add(e.agrifood)
    competence = e.lab.competences.get()
    competence_pk = competence.pk
    competence.delete()
    queued = set(IndexChange.objects.values_list("model", "object_id"))
    assert queued == {("registry.organisation", e.company.pk), ("registry.competence", competence_pk),
                      ("registry.organisation", e.lab.pk)}
    records = documents.affected_records(queued)
    assert records["organisation"] == {e.company.pk, e.lab.pk}
    # The lab's remaining offers carry its facets: their documents are rebuilt too.
    assert records["equipment"] == set(e.lab.equipment.values_list("pk", flat=True))
    ids = documents.possible_ids(records)
    assert f"spinoff:{e.company.pk}" in ids and f"competence:{competence_pk}" in ids


def test_documents_round_trip_through_dicts():
    doc = documents.Document("project:1", "project", 1, "X", "text", "42",
                             documents.Facets(regions=("ITH5", "ITH", "IT"), domains=(3,)))
    assert documents.Document.from_dict(doc.as_dict()) == doc
