"""Every engine module imports in a process where Django cannot be imported (DESIGN.md)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import ris3hub.engines

PROBE = """
import sys, importlib, pkgutil
class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django.") or name.startswith("ninja"):
            raise ImportError(f"engines must not import {name}")
sys.meta_path.insert(0, NoDjango())
import ris3hub.engines as engines
names = [m.name for m in pkgutil.walk_packages(engines.__path__, "ris3hub.engines.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_engine_modules_import_without_django():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            cwd=Path(ris3hub.engines.__file__).parents[2])
    assert result.returncode == 0, result.stderr
    expected = len(list(pkgutil.walk_packages(ris3hub.engines.__path__, "ris3hub.engines.")))
    assert result.stdout.strip() == str(expected)
