"""docs/scheduling.md says what the scheduler does: its input example gives its output example."""

import json
import re
from pathlib import Path

from ris3hub.engines.scheduling.solve import solve

DOC = Path(__file__).resolve().parents[3] / "docs" / "scheduling.md"


def test_the_documented_example_gives_the_documented_schedule():
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    event, documented = (json.loads(block) for block in blocks)
    schedule = solve(event, 5)
    for key in ("assignments", "unscheduled", "upper_bound", "gap", "objective", "proven_optimal", "proven",
                "bound_method", "method"):
        assert schedule[key] == documented[key], key
    assert schedule["bounds"].keys() == documented["bounds"].keys()
