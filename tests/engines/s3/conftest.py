"""Panels of the S3 engine tests: the real EURITO and H2020 panels and py-ecomplexity's golden output."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

GOLDEN = Path(__file__).parent / "golden"
_spec = importlib.util.spec_from_file_location("s3_make_golden", GOLDEN / "make_golden.py")
make_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_golden)

#: The toy region x domain matrix of the engines' docstrings.
TOY = np.array([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]], dtype=float)


@pytest.fixture(scope="session")
def eurito_panel(shared_data) -> pd.DataFrame:
    return make_golden.eurito_panel(shared_data)


@pytest.fixture(scope="session")
def h2020_panel(shared_data) -> pd.DataFrame:
    return make_golden.h2020_panel(shared_data)


def golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"{name}.csv.gz", dtype={"region": str})


def random_panel(seed, years=3, regions=12, domains=9, fill=0.7) -> pd.DataFrame:
    """A small shuffled long table of counts with string labels and years out of order."""
    rng = np.random.default_rng(seed)
    rows = [(int(t), f"R{r:02d}", f"D{d:02d}", int(rng.integers(0, 30)))
            for t in rng.permutation(np.arange(2010, 2010 + years))
            for r in range(regions) for d in range(domains) if rng.random() < fill]
    frame = pd.DataFrame(rows, columns=["year", "reg", "dom", "n"])
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)
