"""`ris3hub complexity / proximity / relatedness` as a person runs them, checked against py-ecomplexity."""

import contextlib
import io
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

ecx = pytest.importorskip("ecomplexity")

HEADER = ["year", "region", "topic", "count"]
ARGS = ["--time", "year", "--loc", "region", "--prod", "topic", "--val", "count"]


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def ris3hub(capsysbinary):
    """Runs the command in this process (the commands need no Django set-up); a test below runs it as a program."""
    from ris3hub.cli import main

    def run(*args, tmp_path):
        code = main([*args, "--data-dir", str(tmp_path / "var")])
        out, err = capsysbinary.readouterr()
        return Result(code, out.decode(), err.decode())
    return run


def eurito_table(shared_data):
    frames = []
    for path in sorted((shared_data / "eurito" / "articles").glob("*_count.csv")):
        topic = path.name[: -len("_count.csv")]
        data = pd.read_csv(path, dtype={"region_id": str})
        data = data[(data["region_level"] == 2) & data["year"].isin([2019, 2020, 2021])]
        frames.append(pd.DataFrame({"year": data["year"], "region": data["region_id"], "topic": topic,
                                    "count": data[f"{topic}_count"]}))
    return pd.concat(frames, ignore_index=True)


def reference(fn, data, **kwargs):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return fn(data, dict(zip(["time", "loc", "prod", "val"], HEADER)), **kwargs)


def test_complexity_writes_ecomplexitys_table(ris3hub, tmp_path, shared_data):
    data = eurito_table(shared_data)
    data.to_csv(tmp_path / "in.csv", index=False)
    result = ris3hub("complexity", str(tmp_path / "in.csv"), *ARGS, "-o", str(tmp_path / "out.csv"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype={"region": str})
    assert list(out.columns) == HEADER + ["diversity", "ubiquity", "rca", "mcp", "eci", "pci", "density", "coi", "cog"]
    ref = reference(ecx.ecomplexity, data, verbose=False, check_logsupermodularity=False)
    merged = ref.merge(out, on=HEADER[:3], suffixes=("_ref", ""))
    assert len(merged) == len(ref) == len(out)
    for column in ("eci", "pci", "density", "coi", "cog", "rca", "mcp", "diversity", "ubiquity"):
        assert np.abs(merged[column] - merged[column + "_ref"]).max() < 1e-9, column


def test_proximity_writes_ecomplexitys_pairs(ris3hub, tmp_path, shared_data):
    data = eurito_table(shared_data)
    data.to_csv(tmp_path / "in.csv", index=False)
    result = ris3hub("proximity", str(tmp_path / "in.csv"), *ARGS, "-o", str(tmp_path / "prox.csv"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "prox.csv")
    ref = reference(ecx.proximity, data)
    assert list(out.columns) == ["year", "topic_1", "topic_2", "proximity"]
    assert out[["year", "topic_1", "topic_2"]].equals(ref[["year", "topic_1", "topic_2"]])
    assert np.abs(out["proximity"] - ref["proximity"]).max() < 1e-12


def test_relatedness_normalises_co_occurrences(ris3hub, tmp_path):
    rows = [(2020, r, d, n) for r, d, n in [("A", "x", 4), ("A", "y", 2), ("A", "z", 2), ("B", "y", 2), ("B", "w", 6),
                                              ("C", "x", 4), ("C", "w", 2), ("C", "z", 2)]]
    pd.DataFrame(rows, columns=HEADER).to_csv(tmp_path / "in.csv", index=False)
    result = ris3hub("relatedness", str(tmp_path / "in.csv"), *ARGS, "--method", "association",
                     "-o", "-", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(io.StringIO(result.stdout))
    assert list(out.columns) == ["year", "topic_1", "topic_2", "relatedness"]
    assert len(out) == 16
    cell = out[(out["topic_1"] == "x") & (out["topic_2"] == "z")]["relatedness"].item()
    assert cell == pytest.approx(2 * 10 / 9)  # presence matrix of the toy: co-occurrence 2, s = 3, 3, T = 10


def test_input_problems_are_reported_with_line_numbers(ris3hub, tmp_path):
    lines = ["year,region,topic,count", "2020,A,x,4", "2020,A,y,two", "2020,B,x,-1", "2020,B,y,3"]
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    result = ris3hub("complexity", str(tmp_path / "bad.csv"), *ARGS, "-o", str(tmp_path / "o.csv"), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "column count: not a number at line(s) 3 ('two')" in result.stderr
    assert "column count: negative value at line(s) 4" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_what_ecomplexity_absorbs_is_said_or_refused_with_strict(ris3hub, tmp_path):
    lines = ["year,region,topic,count", "2020,A,x,4", "2020,A,y,1", "2020,B,x,1", "2020,B,y,3", "2020,A,x,5",
             "2020,C,x,0", "2020,C,y,0", "2020,D,x,", "2020,D,y,2"]
    (tmp_path / "messy.csv").write_text("\n".join(lines) + "\n")
    result = ris3hub("complexity", str(tmp_path / "messy.csv"), *ARGS, "-o", str(tmp_path / "o.csv"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "missing value (keep) at line(s) 9" in result.stderr
    assert "more than one line (the first is used) at line(s) 2, 6" in result.stderr
    assert "1 region(s) with only zero values in a year" in result.stderr and "C in 2020" in result.stderr
    out = pd.read_csv(tmp_path / "o.csv")
    assert out[(out["region"] == "C")]["eci"].isna().all()  # left out of the computation, as py-ecomplexity does
    strict = ris3hub("complexity", str(tmp_path / "messy.csv"), *ARGS, "--strict", "-o", str(tmp_path / "s.csv"),
                     tmp_path=tmp_path)
    assert strict.returncode == 1 and "C in 2020" in strict.stderr
    raised = ris3hub("complexity", str(tmp_path / "messy.csv"), *ARGS, "--nan", "raise", "-o", str(tmp_path / "s.csv"),
                     tmp_path=tmp_path)
    assert raised.returncode == 1 and "missing value (choose --nan keep, zero or drop) at line(s) 9" in raised.stderr


def test_missing_columns_and_files_are_named(ris3hub, tmp_path):
    (tmp_path / "semi.csv").write_text("year;region;topic;count\n2020;A;x;1\n")
    result = ris3hub("complexity", str(tmp_path / "semi.csv"), *ARGS, "-o", "-", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "line 1: no column year (--time)" in result.stderr and "is the delimiter ',' right?" in result.stderr
    ok = ris3hub("complexity", str(tmp_path / "semi.csv"), *ARGS, "--delimiter", ";", "-o", "-", tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "bom.csv").write_text("year,region,topic,count\n2020,A,x,1\n2020,B,y,1\n", encoding="utf-8-sig")
    with_bom = ris3hub("proximity", str(tmp_path / "bom.csv"), *ARGS, "-o", "-", tmp_path=tmp_path)
    assert with_bom.returncode == 0, with_bom.stderr
    missing = ris3hub("proximity", str(tmp_path / "nope.csv"), *ARGS, "-o", "-", tmp_path=tmp_path)
    assert missing.returncode == 1 and "nope.csv: no such file" in missing.stderr


def test_times_that_are_not_numbers_are_kept_as_written(ris3hub, tmp_path):
    rows = ["period,region,topic,count"] + [f"{p},{r},{d},{n}" for p in ("2020-Q1", "2020-Q2")
                                            for r, d, n in [("A", "x", 4), ("A", "y", 1), ("B", "x", 1), ("B", "y", 3)]]
    (tmp_path / "q.csv").write_text("\n".join(rows) + "\n")
    result = ris3hub("complexity", str(tmp_path / "q.csv"), "--time", "period", *ARGS[2:], "-o", "-", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(pd.read_csv(io.StringIO(result.stdout))["period"]) == {"2020-Q1", "2020-Q2"}


def test_parquet_in_and_out(ris3hub, tmp_path, shared_data):
    data = eurito_table(shared_data)
    data.to_parquet(tmp_path / "in.parquet", index=False)
    data.to_csv(tmp_path / "in.csv", index=False)
    result = ris3hub("complexity", str(tmp_path / "in.parquet"), *ARGS, "-o", str(tmp_path / "out.parquet"),
                     tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    ris3hub("complexity", str(tmp_path / "in.csv"), *ARGS, "-o", str(tmp_path / "out.csv"), tmp_path=tmp_path)
    from_parquet = pd.read_parquet(tmp_path / "out.parquet")
    from_csv = pd.read_csv(tmp_path / "out.csv", dtype={"region": str})
    pd.testing.assert_frame_equal(from_parquet, from_csv, check_dtype=False, rtol=0, atol=1e-15)


def test_the_program_exits_with_its_status(tmp_path):
    (tmp_path / "in.csv").write_text("year,region,topic,count\n2020,A,x,-1\n")
    result = subprocess.run([sys.executable, "-m", "ris3hub.cli", "complexity", str(tmp_path / "in.csv"), *ARGS,
                             "-o", str(tmp_path / "o.csv")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "negative value at line(s) 2" in result.stderr
