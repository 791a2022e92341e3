"""hypothesis on the engines' public inputs: odd matrices, vectors and documents give a result or a
ValueError/TypeError (the scheduler's ProblemError) with a message, never another exception (no Django here)."""

import json
from importlib import import_module

import numpy as np
from hostile import json_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ris3hub.engines.monitoring.projection import project
from ris3hub.engines.s3 import complexity, specialisation
from ris3hub.engines.scheduling.model import ProblemError, parse_problem
from ris3hub.engines.themes import text as theme_text

relatedness_module = import_module("ris3hub.engines.s3.relatedness")  # the package exports a function of that name

FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1.0, -1.0, 1e308]))
matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5), elements=numbers)


def clear(call):
    try:
        return call()
    except (ValueError, TypeError, ProblemError) as error:
        assert str(error).strip(), f"{type(error).__name__} without a message"


S3_FUNCTIONS = [specialisation.rca, specialisation.presence, specialisation.herfindahl, specialisation.krugman,
                specialisation.entropy, specialisation.gini, specialisation.locational_gini, specialisation.hoover,
                complexity.diversity, complexity.ubiquity, complexity.eci_pci, complexity.kci_tci,
                complexity.complexity_measures, relatedness_module.proximity, relatedness_module.co_occurrence]


@FEW
@given(X=matrices)
def test_s3_measures(X):
    with np.errstate(all="ignore"):
        for function in S3_FUNCTIONS:
            clear(lambda: function(X))
        clear(lambda: relatedness_module.relatedness(X, "prob"))
        clear(lambda: relatedness_module.density(X, X))


@FEW
@given(x=st.lists(numbers, max_size=6), y=st.lists(numbers, max_size=6), x_target=numbers, target=numbers)
def test_monitoring_projection(x, y, x_target, target):
    with np.errstate(all="ignore"):
        clear(lambda: project(x, y, x_target, target))


@FEW
@given(document=st.one_of(json_values, st.fixed_dictionaries({
    "slots": json_values, "places": json_values, "participants": json_values, "meetings": json_values})))
def test_scheduling_problem(document):
    clear(lambda: parse_problem(json.loads(json.dumps(document))))


@FEW
@given(text=st.text(max_size=200))
def test_theme_text(text):
    theme_text.words(text)
    theme_text.content_words(text)
    theme_text.detect_language(text)
