"""Random but realistic brokerage events, as event documents (docs/scheduling.md).

Used by the tests and by benchmarks/scheduling.py. What makes them realistic:

- popularity is skewed: who is asked for a meeting follows a log-normal popularity, so a few
  participants are wanted by many (up to ``3 * slots`` accepted meetings each) and most by few;
- availability is partial: some participants come only in the morning, only in the afternoon, or for
  a window of the day;
- some participants cap their meetings (``max_meetings``), a share of meetings is virtual (with
  virtual rooms), a few meetings have three participants, a few have a higher priority.

Slots are 20 minutes, 8 in the morning from 09:00 and the rest in the afternoon from 14:00 (16 a
day; more slots go on to the next days).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import accumulate


def random_event(participants: int = 200, meetings: int = 1000, slots: int = 16, tables: int = 40, *,
                 virtual_share: float = 0.1, virtual_rooms: int | None = None, partial_share: float = 0.4,
                 max_meetings_share: float = 0.3, group_share: float = 0.02, priority_share: float = 0.0,
                 popularity_sigma: float = 1.0, seed: int = 0) -> dict:
    rng = random.Random(seed)
    slot_list = _slots(slots)
    n_rooms = virtual_rooms if virtual_rooms is not None else (max(1, round(tables * virtual_share)) if virtual_share else 0)
    places = [{"id": f"t{k + 1}", "capacity": 1, "virtual": False} for k in range(tables)]
    places += [{"id": f"v{k + 1}", "capacity": 1, "virtual": True} for k in range(n_rooms)]

    people = []
    for k in range(participants):
        person = {"id": f"p{k + 1}"}
        if rng.random() < partial_share:
            person["available"] = _window(rng, slot_list)
        if rng.random() < max_meetings_share:
            person["max_meetings"] = rng.randint(4, 12)
        people.append(person)

    popularity = list(accumulate(rng.lognormvariate(0, popularity_sigma) for _ in range(participants)))
    everyone = range(participants)
    cap = 3 * slots
    degree = [0] * participants
    pairs: set[tuple[int, ...]] = set()
    result = []
    attempts = 0
    while len(result) < meetings and attempts < 50 * meetings:
        attempts += 1
        size = 3 if rng.random() < group_share else 2
        requester = rng.randrange(participants)
        members = {requester}
        while len(members) < size:
            members.add(rng.choices(everyone, cum_weights=popularity)[0])
        key = tuple(sorted(members))
        if key in pairs or any(degree[p] >= cap for p in key) or not _can_meet(people, key, slot_list):
            continue
        pairs.add(key)
        for p in key:
            degree[p] += 1
        meeting = {"id": f"m{len(result) + 1}", "participants": [people[p]["id"] for p in key]}
        if rng.random() < virtual_share and n_rooms:
            meeting["virtual"] = True
        if rng.random() < priority_share:
            meeting["priority"] = 2
        result.append(meeting)
    return {"slots": slot_list, "places": places, "participants": people, "meetings": result}


def _slots(count: int) -> list[dict]:
    out = []
    day = datetime(2026, 3, 2)
    for k in range(count):
        d, i = divmod(k, 16)
        start = day + timedelta(days=d, hours=9, minutes=20 * i) if i < 8 else \
            day + timedelta(days=d, hours=14, minutes=20 * (i - 8))
        out.append({"id": f"s{k + 1}", "start": start.isoformat(timespec="minutes"),
                    "end": (start + timedelta(minutes=20)).isoformat(timespec="minutes")})
    return out


def _window(rng: random.Random, slots: list[dict]) -> list[str]:
    n = len(slots)
    kind = rng.random()
    if kind < 0.35:
        chosen = [s for s in slots if s["start"][11:13] < "13"]
    elif kind < 0.7:
        chosen = [s for s in slots if s["start"][11:13] >= "13"]
    else:
        length = rng.randint(max(1, n // 4), max(1, n - 1))
        first = rng.randrange(n - length + 1)
        chosen = slots[first:first + length]
    return [s["id"] for s in (chosen or slots)]


def _can_meet(people: list[dict], members: tuple[int, ...], slots: list[dict]) -> bool:
    common = {s["id"] for s in slots}
    for p in members:
        if "available" in people[p]:
            common &= set(people[p]["available"])
    return bool(common)
