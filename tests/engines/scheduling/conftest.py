"""Small hand-made events for the scheduler's tests."""

from __future__ import annotations

import pytest


def slots(count: int, day: str = "2026-03-02", start_hour: int = 9, minutes: int = 20, prefix: str = "s") -> list[dict]:
    """``count`` back-to-back slots of ``minutes`` from ``start_hour``: s1, s2, ..."""
    out = []
    for k in range(count):
        a = start_hour * 60 + k * minutes
        b = a + minutes
        out.append({"id": f"{prefix}{k + 1}", "start": f"{day}T{a // 60:02d}:{a % 60:02d}",
                    "end": f"{day}T{b // 60:02d}:{b % 60:02d}"})
    return out


def event(n_slots: int = 3, tables: int = 1, rooms: int = 0, people: int | list = 3,
          meetings: list | None = None) -> dict:
    """An event document; ``meetings`` as lists of participant numbers or full meeting objects."""
    persons = [{"id": f"p{k + 1}"} for k in range(people)] if isinstance(people, int) else people
    places = [{"id": f"t{k + 1}", "capacity": 1, "virtual": False} for k in range(tables)]
    places += [{"id": f"v{k + 1}", "capacity": 1, "virtual": True} for k in range(rooms)]
    items = []
    for k, m in enumerate(meetings or []):
        if isinstance(m, dict):
            items.append({"id": f"m{k + 1}", **m})
        else:
            items.append({"id": f"m{k + 1}", "participants": [f"p{p}" for p in m]})
    return {"slots": slots(n_slots), "places": places, "participants": persons, "meetings": items}


@pytest.fixture
def make_event():
    return event
