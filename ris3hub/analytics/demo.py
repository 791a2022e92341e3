"""The S3 part of the demo: Emilia-Romagna's S3 2021-2027 priorities, and the matrices of the
NUTS-2 profile pages counted ahead so that the first visit answers at once.

A step of ``ris3hub.core.demo.DEMO_STEPS``: idempotent (the strategy import changes nothing the
second time; stored panels are reused while the data stays the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

DEMO_STRATEGY = Path(__file__).resolve().parent.parent / "strategies" / "demo" / "emilia-romagna-s3-2021-2027.csv"
WARM_LEVELS = (2,)


def build_demo(progress: bool = True) -> None:
    from ris3hub.analytics import cache, measures
    from ris3hub.analytics import profile as profiles
    from ris3hub.analytics.matrices import MatrixSpec
    from ris3hub.core.loading import run_import

    report = run_import("strategy", [DEMO_STRATEGY], progress=progress)
    for line in report.summary_lines():
        print(f"  {line}", file=sys.stderr)
    if report.errors:
        raise RuntimeError(f"the demo strategy {DEMO_STRATEGY.name} did not import: {report.errors[0]}")
    for scheme in profiles.available_schemes():
        for level in WARM_LEVELS:
            try:
                cache.space(MatrixSpec(scheme, level=level))
            except measures.NotEnoughData as error:
                print(f"  {scheme} NUTS-{level}: {error}", file=sys.stderr)
