"""Every S3 engine module's examples (a doctest per measure, on the 3 x 4 toy matrix) hold."""

import doctest
import importlib
import pkgutil

import pytest

import ris3hub.engines.s3 as s3

MODULES = sorted(m.name for m in pkgutil.iter_modules(s3.__path__, "ris3hub.engines.s3."))


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_every_public_function_has_an_example_or_is_a_table_builder():
    without = []
    for name in s3.__all__:
        obj = getattr(s3, name)
        if callable(obj) and not isinstance(obj, type) and ">>>" not in (obj.__doc__ or ""):
            without.append(name)
    # Shown in their module's docstring instead:
    assert set(without) <= {"ecomplexity_table", "proximity_table", "panel_from_long", "long_table"}
