"""Race ris3hub's S3 engines against py-ecomplexity on synthetic panels; print times and ratios.

    .venv/bin/python benchmarks/complexity.py                    # all panels, py-ecomplexity on 3 years
    .venv/bin/python benchmarks/complexity.py --ecx-years 10     # py-ecomplexity on all ten years
    .venv/bin/python benchmarks/complexity.py --only uniform     # or: skewed, dense (both), sparse
    .venv/bin/python benchmarks/complexity.py --threads 1        # one BLAS / OpenMP thread on both sides

Threads: by default both sides use the BLAS library's default (one thread per core), except that
ecomplexity_table() and proximity_table() limit BLAS to ecomplexity_compat.BLAS_THREADS during a
call when it is set (None by default: the library's own); --threads N sets OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS before
numpy is imported, for py-ecomplexity and ris3hub alike. The first line of the output says which.

Two dense panels of 300 regions x 1,200 domains x 10 years (3.6 million rows each), the same
DataFrame given to py-ecomplexity's ecomplexity() and proximity() and to ris3hub's drop-ins
ecomplexity_table() and proximity_table(), then to the matrix engines (panel_from_long +
complexity_measures); the largest absolute differences of every measure are printed with the
times:

- uniform: independent counts, the panel py-ecomplexity is fastest on;
- skewed: region and domain sizes log-normal, affinities gamma-distributed, Poisson counts, as
  real region x domain data; py-ecomplexity's general eigen solver is several times slower on
  its domain x domain matrix.

py-ecomplexity runs once, on the first --ecx-years years of each panel, and its time is
extrapolated to all ten (the table says so). ris3hub's ecomplexity_table() runs --repeat times
(best kept) on the whole panel in a child process, whose peak memory after the first call (the
panel included) is reported. Both wall-clock and CPU time (user + system, all threads) are shown: on a shared
machine the wall clock of either side depends on the load, CPU time less.

Sparse panel: 1,500 regions x 5,000 domains x 20 years, 2 to 3% of cells filled, through
panel_from_long(sparse=True) and complexity_measures (RCA, presence, ECI/PCI, proximity,
density, COI, COG) year by year, in a child process whose peak memory (VmHWM, building the
panel included) is reported. py-ecomplexity is not run on it by default (a 5,000
x 5,000 general eigen decomposition and a 7.5-million-row table per year);
--ecx-sparse-years 1 runs it on one year.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path


def _threads_from_argv(argv) -> str | None:
    """--threads N, read before numpy is imported (BLAS reads its thread count once, at load)."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return None


THREADS = _threads_from_argv(sys.argv)
if THREADS is not None and THREADS != "default":
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = THREADS

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ris3hub.engines.s3 import ecomplexity_table, panel_from_long, proximity_table  # noqa: E402
from ris3hub.engines.s3.complexity import complexity_measures  # noqa: E402

COLS = {"time": "year", "loc": "region", "prod": "domain", "val": "count"}
MEASURES = ["diversity", "ubiquity", "rca", "mcp", "eci", "pci", "density", "coi", "cog"]


def synthetic_counts(rng, regions: int, domains: int, years: int, fill: float):
    """Counts with the skew of real region x domain data: region and domain sizes log-normal,
    region-domain affinities gamma-distributed and drifting over the years, Poisson noise.
    Yields (year, dense count matrix)."""
    size_r = rng.lognormal(0.0, 1.0, regions)
    size_d = rng.lognormal(0.0, 1.0, domains)
    affinity = rng.gamma(0.5, 2.0, (regions, domains))
    base = np.outer(size_r, size_d) * affinity
    scale = _scale_for_fill(base, fill)
    for year in range(years):
        drift = rng.gamma(20.0, 1 / 20.0, (regions, domains))
        yield 2000 + year, rng.poisson(base * drift * scale * (1 + 0.03 * year))


def _scale_for_fill(base, fill):
    """The scale s for which a share `fill` of Poisson(s * base) cells is non-zero (bisection)."""
    low, high = 1e-12, 1e6
    sample = base.ravel()[:: max(1, base.size // 200_000)]
    for _ in range(60):
        mid = np.sqrt(low * high)
        if np.mean(1 - np.exp(-mid * sample)) < fill:
            low = mid
        else:
            high = mid
    return mid


def dense_panel(regions=300, domains=1200, years=10, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    locs = np.array([f"R{i:04d}" for i in range(regions)])
    prods = np.array([f"D{i:05d}" for i in range(domains)])
    frames = []
    for year, counts in synthetic_counts(rng, regions, domains, years, fill=0.5):
        frames.append(pd.DataFrame({"year": year, "region": np.repeat(locs, domains),
                                    "domain": np.tile(prods, regions), "count": counts.ravel()}))
    return pd.concat(frames, ignore_index=True)


def uniform_panel(regions=300, domains=1200, years=10, seed=2) -> pd.DataFrame:
    """Independent counts (negative binomial, mean 19, 95% non-zero): no structure to find."""
    rng = np.random.default_rng(seed)
    locs = np.array([f"R{i:04d}" for i in range(regions)])
    prods = np.array([f"D{i:05d}" for i in range(domains)])
    return pd.DataFrame({"year": np.repeat(np.arange(2000, 2000 + years), regions * domains),
                         "region": np.tile(np.repeat(locs, domains), years),
                         "domain": np.tile(prods, regions * years),
                         "count": rng.negative_binomial(1, 0.05, regions * domains * years)})


def sparse_panel(regions=1500, domains=5000, years=20, seed=1) -> pd.DataFrame:
    """Only the non-zero cells, as a long table from a database would hold them."""
    rng = np.random.default_rng(seed)
    locs = np.array([f"R{i:04d}" for i in range(regions)])
    prods = np.array([f"D{i:05d}" for i in range(domains)])
    frames = []
    for year, counts in synthetic_counts(rng, regions, domains, years, fill=0.02):
        r, d = np.nonzero(counts)
        # few cells hold something, and what they hold is spread (1 to a few dozen), as patents or projects
        amounts = counts[r, d] + rng.negative_binomial(1, 0.2, len(r))
        frames.append(pd.DataFrame({"year": year, "region": locs[r], "domain": prods[d], "count": amounts}))
    return pd.concat(frames, ignore_index=True)


def timed(fn):
    """(wall seconds, CPU seconds of this process's threads, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def best_of(repeat, fn):
    """The least wall and the least CPU time of `repeat` calls, and the last result."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        result = None  # the last result is not kept alive while the next call runs
        wall, cpu, result = timed(fn)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return best_wall, best_cpu, result


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB.

    /proc/self/status's VmHWM where there is one: getrusage's maxrss of a child process started
    with vfork (as subprocess does) also counts the parent's memory at the time of the exec.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def threads_line() -> str:
    """Which threading the run uses, for the first line of the output."""
    chosen = "default" if THREADS in (None, "default") else f"--threads {THREADS} (OPENBLAS/OMP/MKL_NUM_THREADS)"
    try:
        from threadpoolctl import threadpool_info

        pools = ", ".join(f"{p.get('internal_api')} {p.get('num_threads')} thread(s)" for p in threadpool_info())
    except ImportError:
        pools = "threadpoolctl not installed"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    from ris3hub.engines.s3.ecomplexity_compat import BLAS_THREADS

    limit = (f"ris3hub's drop-ins limit BLAS to {BLAS_THREADS} thread(s) during a call" if BLAS_THREADS
             else "ris3hub's drop-ins keep the library's BLAS threads")
    return (f"threads: {chosen}; {pools}; {limit} (ecomplexity_compat.BLAS_THREADS); {os.cpu_count()} cores, "
            f"load average {load}")


def child(repeat, *options) -> dict:
    """Run this script with `options` in a child process (same threads); its last output line is JSON."""
    command = [sys.executable, __file__, *options, "--repeat", str(repeat)]
    if THREADS is not None:
        command += ["--threads", THREADS]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def quietly(fn, *args, **kwargs):
    """py-ecomplexity prints every year and warns; keep the table readable."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def engine_route(df: pd.DataFrame, sparse: bool) -> dict:
    """panel_from_long + complexity_measures on every year; returns per-year ECI (for a check)."""
    panel = panel_from_long(df, "year", "region", "domain", "count", drop_empty=True, sparse=sparse)
    out = {}
    for t in panel.times:
        year = panel.year(t)
        measures = complexity_measures(year.X)
        out[t] = (year.locs, measures.eci)
    return out


def max_differences(ours: pd.DataFrame, ref: pd.DataFrame, keys, columns) -> dict:
    merged = ref.merge(ours, on=keys, suffixes=("_ref", "_ours"), how="outer", indicator=True)
    if (merged["_merge"] != "both").any():
        raise SystemExit(f"the two tables have different rows: {merged['_merge'].value_counts().to_dict()}")
    return {c: float(np.nanmax(np.abs(merged[c + "_ours"].to_numpy(float) - merged[c + "_ref"].to_numpy(float))))
            for c in columns}


def run_dense(args, kind: str) -> list[tuple]:
    from ecomplexity import ecomplexity, proximity

    df = dense_panel() if kind == "skewed" else uniform_panel()
    years = sorted(df["year"].unique())
    ecx_years = years[: args.ecx_years]
    subset = df[df["year"].isin(ecx_years)]
    scale = len(years) / len(ecx_years)
    note = "" if scale == 1 else f" (py-ecomplexity on {len(ecx_years)} years, x{scale:g})"
    rows = []
    print(f"{kind} dense panel: {df['region'].nunique()} regions x {df['domain'].nunique()} domains x {len(years)} "
          f"years, {len(df):,} rows, {np.mean(df['count'] > 0):.0%} of cells non-zero", flush=True)

    ours = child(args.repeat, "--dense-child", kind)
    wall, cpu, ref = timed(lambda: quietly(ecomplexity, subset, COLS, verbose=False))
    ecx = (wall * scale, cpu * scale)
    ours_sub = quietly(ecomplexity_table, subset, COLS, verbose=False)
    diffs = max_differences(ours_sub, ref, list(COLS.values()), MEASURES)
    rows.append((f"{kind}: ecomplexity() / ecomplexity_table()", *ecx, note, ours["wall"], ours["cpu"], diffs,
                 ours["peak_mib"]))

    eng_wall, eng_cpu, eng = best_of(args.repeat, lambda: engine_route(df, sparse=False))
    check = ours_sub.groupby(["year", "region"])["eci"].first()
    eng_diff = max(float(np.abs(pd.Series(eci, index=locs) - check.loc[t].reindex(locs)).max())
                   for t, (locs, eci) in eng.items() if t in ecx_years)
    rows.append((f"{kind}: same, matrix engines (complexity_measures)", *ecx, note, eng_wall, eng_cpu,
                 {"eci": eng_diff}, None))

    if args.prox_years:
        prox_years = years[: args.prox_years]
        psub = df[df["year"].isin(prox_years)]
        pscale = len(years) / len(prox_years)
        wall, cpu, pref = timed(lambda: quietly(proximity, psub, COLS))
        p_wall, p_cpu, _ = best_of(args.repeat, lambda: proximity_table(df, COLS))
        pours = proximity_table(psub, COLS)
        if not pours[["year", "domain_1", "domain_2"]].equals(pref[["year", "domain_1", "domain_2"]]):
            raise SystemExit("proximity tables differ in their rows")
        pdiff = float(np.abs(pours["proximity"].to_numpy() - pref["proximity"].to_numpy()).max())
        prox_note = "" if pscale == 1 else f" (py-ecomplexity on {len(prox_years)} years, x{pscale:g})"
        rows.append((f"{kind}: proximity() / proximity_table()", wall * pscale, cpu * pscale, prox_note, p_wall, p_cpu,
                     {"proximity": pdiff}, None))
    return rows


def run_dense_child(args) -> None:
    """ecomplexity_table() on a whole dense panel, best of --repeat, in its own process (for its peak memory)."""
    df = dense_panel() if args.dense_child == "skewed" else uniform_panel()
    run = lambda: quietly(ecomplexity_table, df, COLS, verbose=False)  # noqa: E731
    wall, cpu, _ = timed(run)
    peak = peak_mib()  # after one call: later ones can only add what the allocators keep from the first
    if args.repeat > 1:
        more_wall, more_cpu, _ = best_of(args.repeat - 1, run)
        wall, cpu = min(wall, more_wall), min(cpu, more_cpu)
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mib": peak}))


def run_sparse_child(args) -> None:
    """Runs in a child process so that its peak memory is its own."""
    start = time.perf_counter()
    df = sparse_panel(years=args.sparse_years)
    t_make = time.perf_counter() - start
    t_run, t_cpu, _ = best_of(args.repeat, lambda: engine_route(df, sparse=True))
    peak = peak_mib()
    print(json.dumps({"rows": len(df), "regions": int(df["region"].nunique()), "domains": int(df["domain"].nunique()),
                      "years": int(df["year"].nunique()), "fill": len(df) / (1500 * 5000 * df["year"].nunique()),
                      "make_s": t_make, "run_s": t_run, "cpu_s": t_cpu, "peak_mib": peak}))


def run_sparse(args) -> list[tuple]:
    info = child(args.sparse_repeat, "--sparse-child", "--sparse-years", str(args.sparse_years))
    print(f"sparse panel: {info['regions']} regions x {info['domains']} domains x {info['years']} years, "
          f"{info['rows']:,} rows ({info['fill']:.1%} of cells); built in {info['make_s']:.1f} s; peak memory of "
          f"the process {info['peak_mib']:.0f} MiB", flush=True)
    ecx, note = (None, None), " (py-ecomplexity not run: --ecx-sparse-years N runs it on N years)"
    if args.ecx_sparse_years:
        from ecomplexity import ecomplexity

        df = sparse_panel(years=args.ecx_sparse_years)
        wall, cpu, _ = timed(lambda: quietly(ecomplexity, df, COLS, verbose=False))
        scale = info["years"] / args.ecx_sparse_years
        ecx, note = (wall * scale, cpu * scale), f" (py-ecomplexity on {args.ecx_sparse_years} year(s), x{scale:g})"
    return [("sparse: matrix engines, all years", *ecx, note, info["run_s"], info["cpu_s"], {}, info["peak_mib"])]


def print_table(rows) -> None:
    def seconds(x):
        return f"{x:9.2f}" if x is not None else f"{'-':>9s}"

    def ratio(a, b):
        return f"{a / b:7.1f}x" if a is not None else f"{'':>8s}"

    print()
    print(threads_line())
    print(f"{'step':55s} {'py-ecomplexity':>19s} {'ris3hub':>29s} {'ratio':>17s}  largest |difference|")
    print(f"{'':55s} {'wall s':>9s} {'CPU s':>9s} {'wall s':>9s} {'CPU s':>9s} {'peak MiB':>9s} {'wall':>8s} "
          f"{'CPU':>8s}")
    for name, ecx_wall, ecx_cpu, note, wall, cpu, diffs, peak in rows:
        diff = ", ".join(f"{k} {v:.1e}" for k, v in diffs.items())
        memory = f"{peak:9.0f}" if peak is not None else f"{'':9s}"
        print(f"{name:55s} {seconds(ecx_wall)} {seconds(ecx_cpu)} {seconds(wall)} {seconds(cpu)} {memory} "
              f"{ratio(ecx_wall, wall)} {ratio(ecx_cpu, cpu)}  {diff}{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["dense", "uniform", "skewed", "sparse"])
    parser.add_argument("--ecx-years", type=int, default=3,
                        help="years of each dense panel py-ecomplexity runs on (its time is extrapolated to all 10)")
    parser.add_argument("--prox-years", type=int, default=1,
                        help="years py-ecomplexity's proximity() runs on (0: skip the proximity race)")
    parser.add_argument("--ecx-sparse-years", type=int, default=0, help="years of the sparse panel for py-ecomplexity")
    parser.add_argument("--sparse-years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each ris3hub step on a dense panel (best kept)")
    parser.add_argument("--sparse-repeat", type=int, default=1, help="runs of the sparse panel (best kept)")
    parser.add_argument("--threads", default="default",
                        help="BLAS / OpenMP threads for both sides: a number, or 'default' (one per core)")
    parser.add_argument("--sparse-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dense-child", choices=["uniform", "skewed"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sparse_child:
        run_sparse_child(args)
        return
    if args.dense_child:
        run_dense_child(args)
        return
    print(threads_line(), flush=True)
    rows = []
    for kind in ("uniform", "skewed"):
        if args.only in (None, "dense", kind):
            rows += run_dense(args, kind)
    if args.only in (None, "sparse"):
        rows += run_sparse(args)
    print_table(rows)


if __name__ == "__main__":
    main()
