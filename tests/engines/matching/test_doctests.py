"""The examples in the docstrings of the matching engines run."""

import doctest
import importlib
import pkgutil

import pytest

from ris3hub.engines import matching

MODULES = [m.name for m in pkgutil.iter_modules(matching.__path__, "ris3hub.engines.matching.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
