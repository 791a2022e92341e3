"""Actions on classification schemes."""

import pytest
from django.core.exceptions import ValidationError

from ris3hub.taxonomy.actions import do_add_concept, do_create_scheme, do_map_concepts


@pytest.fixture
def nace(db):
    return do_create_scheme("nace2", "NACE Rev. 2")


@pytest.mark.django_db
def test_concepts_form_a_tree_with_levels_and_paths(nace):
    c = do_add_concept(nace, "C", "Manufacturing", label_it="Attività manifatturiere")
    food = do_add_concept(nace, "C10", "Manufacture of food products", parent=c)
    assert (food.level, food.path, food.parent) == (1, "Manufacturing/Manufacture of food products", c)
    assert list(c.children.all()) == [food]


@pytest.mark.django_db
def test_concept_input_is_checked(nace):
    do_add_concept(nace, "C", "Manufacturing")
    other = do_create_scheme("er-rat", "Rete Alta Tecnologia")
    foreign = do_add_concept(other, "agroalimentare", "Agroalimentare")
    with pytest.raises(ValidationError, match="scheme nace2 has a concept 'C' already"):
        do_add_concept(nace, "C", "Again")
    with pytest.raises(ValidationError, match="belongs to scheme Rete Alta Tecnologia"):
        do_add_concept(nace, "C11", "Beverages", parent=foreign)
    with pytest.raises(ValidationError, match="needs a label"):
        do_add_concept(nace, "D", " ")
    with pytest.raises(ValidationError, match="exists already"):
        do_create_scheme("nace2", "NACE again")
    with pytest.raises(ValidationError):
        do_create_scheme("not a slug!", "Bad code")


@pytest.mark.django_db
def test_mappings_link_two_schemes(nace):
    food = do_add_concept(nace, "C10", "Manufacture of food products")
    er = do_create_scheme("er-rat", "Rete Alta Tecnologia")
    agro = do_add_concept(er, "agroalimentare", "Agroalimentare")
    mapping = do_map_concepts(agro, food, "broad")
    assert (mapping.source, mapping.target, mapping.relation) == (agro, food, "broad")
    with pytest.raises(ValidationError, match="mapped to .* already"):
        do_map_concepts(agro, food, "close")
    with pytest.raises(ValidationError, match="'similar' is not a relation"):
        do_map_concepts(food, agro, "similar")
    with pytest.raises(ValidationError, match="two different schemes"):
        do_map_concepts(agro, do_add_concept(er, "costruzioni", "Costruzioni"))
