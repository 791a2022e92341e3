"""Load test: the demo on gunicorn + PostgreSQL, driven by a light HTTP/1.1 client on loopback.

    .venv/bin/python benchmarks/load.py [--reuse] [--requests 3000] [--duration 30] [--concurrency 16]
                                        [--workers 2] [--threads 4] [--no-page-cache] [--targets region search]

What it does:

1. Builds the demo (``ris3hub demo --no-serve``) into a scratch PostgreSQL database (``--database-url``,
   default postgres://postgres@127.0.0.1:5432/ris3hub_load, created when missing) with its own data
   directory (``--data-dir``, default var/load). The build imports every open-data file and the search
   index: several minutes. With ``--reuse`` a database already built is kept (its migrations are
   brought up to date by the server); without it the database is dropped and built again.
2. Starts ``ris3hub serve`` (gunicorn) on 127.0.0.1 and a free port, rate limits switched off
   (RIS3HUB_RATE_LIMITS=off: the benchmark is one client address sending thousands of requests).
3. For each target, warms it up (every URL a few times, so that each worker has its code and caches
   warm), then sends ``--requests`` requests, or as many as fit in ``--duration`` seconds, over
   ``--concurrency`` keep-alive connections, and reports requests, errors, requests per second and
   p50/p95/p99/max latency. Search cycles through several queries; the region target through several
   regions (ITH5 first).
4. Prints the CPU time the server (gunicorn and its workers) and this client used during each run, so
   that one can see the client did not take the server's cores: the machine has two.

The client is one asyncio loop speaking raw HTTP/1.1 with keep-alive (no HTTP library in the loop):
it costs a few per cent of a core at the rates measured here.

Exits 1 when any response is not 200 (or a connection fails), so it can gate a release.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
RIS3HUB = [sys.executable, "-m", "ris3hub.cli"]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ris3hub_load"

# name -> the URLs it cycles through (the first is the one the issue names).
TARGETS: dict[str, list[str]] = {
    "home": ["/"],
    "search": ["/search/?q=bologna", "/search/?q=energy", "/search/?q=robot", "/search/?q=universit%C3%A0",
               "/search/?q=hydrogen", "/search/?q=ITH5", "/search/?q=milano", "/search/?q=food"],
    "region": ["/regions/ITH5/", "/regions/ITH55/", "/regions/ITC4/", "/regions/IT/", "/regions/DE21/",
               "/regions/FR10/", "/regions/ES51/", "/regions/ITI4/"],
    "api": ["/api/regions/?country=IT", "/api/regions/?country=DE&level=2", "/api/regions/?country=FR&offset=50"],
    "find": ["/find/?q=additive+manufacturing", "/find/?q=energia+rinnovabile"],
}
DEFAULT_TARGETS = ["home", "search", "region", "api"]


# ---- the database and the server ---------------------------------------------------------------


def _admin_url(database_url: str) -> tuple[str, str]:
    """(URL of the server's maintenance database, name of the scratch database)."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"--database-url {database_url} names no database")
    return urlunsplit(parts._replace(path="/postgres")), name


def prepare_database(database_url: str, reuse: bool) -> bool:
    """Create the scratch database (dropped first unless ``reuse``); True when it already existed."""
    import psycopg

    admin, name = _admin_url(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if exists and not reuse:
            print(f"dropping database {name}", file=sys.stderr)
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return exists


def server_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": args.database_url,
        "RIS3HUB_DATA_DIR": str(args.data_dir),
        "RIS3HUB_RATE_LIMITS": "off",
        "RIS3HUB_PAGE_CACHE": "off" if args.no_page_cache else "on",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("RIS3HUB_DEBUG", None)
    return env


def build_demo(args) -> None:
    marker = args.data_dir / "demo-built.json"
    existed = prepare_database(args.database_url, args.reuse)
    if args.reuse and existed and marker.exists():
        print(f"reusing the demo in {args.database_url} ({marker})", file=sys.stderr)
        return
    marker.unlink(missing_ok=True)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print("building the demo on PostgreSQL: several minutes", file=sys.stderr, flush=True)
    started = time.monotonic()
    subprocess.run([*RIS3HUB, "demo", "--no-serve"], env=server_env(args), cwd=REPO, check=True)
    print(f"demo built in {time.monotonic() - started:.0f} s", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    log = open(args.data_dir / "server.log", "wb")
    command = [*RIS3HUB, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
               "--threads", str(args.threads), "--no-access-log"]
    proc = subprocess.Popen(command, env=server_env(args), cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped with code {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/about/", timeout=5) as response:
                if response.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"the server did not answer within 120 s; see {log.name}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def process_group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is field 3 (state) of proc(5): pgrp is field 5, utime 14, stime 15.
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


# ---- the client --------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class HttpConnection:
    """One keep-alive HTTP/1.1 connection reading Content-Length and chunked bodies."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def get(self, path: str) -> tuple[int, int]:
        """(status, body length) of GET ``path``; reopens the connection when the server closed it."""
        if self.writer is None:
            await self.open()
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n"
                          f"User-Agent: ris3hub-load\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
            size = len(body)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            size = 0
            while True:
                chunk = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(chunk + 2)
                size += chunk
                if chunk == 0:
                    break
        else:  # body until the server closes
            size = len(await self.reader.read())
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, size


async def drive(port: int, paths: list[str], requests: int, duration: float, concurrency: int) -> Result:
    result = Result()
    sent = 0
    deadline = time.perf_counter() + duration

    async def worker() -> None:
        nonlocal sent
        conn = HttpConnection(port)
        try:
            while sent < requests and time.perf_counter() < deadline:
                path = paths[sent % len(paths)]
                sent += 1
                started = time.perf_counter()
                try:
                    status, _size = await conn.get(path)
                except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                    result.errors.append(f"{path}: {type(error).__name__}: {error}")
                    conn.close()
                    continue
                result.latencies.append(time.perf_counter() - started)
                if status != 200:
                    result.errors.append(f"{path}: HTTP {status}")
        finally:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return result


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def run_target(name: str, port: int, server_pgid: int, args) -> dict:
    paths = TARGETS[name]
    warm = asyncio.run(drive(port, paths, len(paths) * args.workers * args.threads * 2, 120, args.concurrency))
    cpu_server, cpu_client = process_group_cpu(server_pgid), time.process_time()
    started = time.perf_counter()
    result = asyncio.run(drive(port, paths, args.requests, args.duration, args.concurrency))
    elapsed = time.perf_counter() - started
    cpu_server = process_group_cpu(server_pgid) - cpu_server
    cpu_client = time.process_time() - cpu_client
    latencies = sorted(result.latencies)
    return {
        "target": name, "url": paths[0] + (f" (+{len(paths) - 1})" if len(paths) > 1 else ""),
        "requests": len(latencies) + sum(1 for e in result.errors if "HTTP" not in e),
        "errors": len(result.errors) + len(warm.errors), "error_samples": (warm.errors + result.errors)[:5],
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50": percentile(latencies, 50) * 1000, "p95": percentile(latencies, 95) * 1000,
        "p99": percentile(latencies, 99) * 1000, "max": (latencies[-1] if latencies else float("nan")) * 1000,
        "mean": (statistics.fmean(latencies) if latencies else float("nan")) * 1000,
        "server_cpu": cpu_server / elapsed if elapsed else 0.0, "client_cpu": cpu_client / elapsed if elapsed else 0.0,
    }


def print_table(rows: list[dict], args) -> None:
    cache = "off" if args.no_page_cache else "on"
    print(f"\nris3hub under load: gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL, "
          f"{args.concurrency} connections, page cache {cache}")
    header = (f"{'target':<8} {'url':<28} {'requests':>8} {'errors':>6} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'p99 ms':>7} {'max ms':>7} {'server cpu':>10} {'client cpu':>10}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['target']:<8} {r['url']:<28} {r['requests']:>8} {r['errors']:>6} {r['rps']:>7.1f} "
              f"{r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} {r['max']:>7.1f} "
              f"{r['server_cpu']:>9.2f}c {r['client_cpu']:>9.2f}c")
    print("(cpu: cores used on average during the run; the machine has", os.cpu_count(), "cores)")
    for r in rows:
        for sample in r["error_samples"]:
            print(f"error {r['target']}: {sample}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("RIS3HUB_LOAD_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--data-dir", type=Path, default=REPO / "var" / "load")
    parser.add_argument("--reuse", action="store_true", help="keep a demo database already built")
    parser.add_argument("--requests", type=int, default=3000, help="requests per target (at most)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per target (at most)")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--targets", nargs="+", choices=list(TARGETS), default=DEFAULT_TARGETS)
    parser.add_argument("--no-page-cache", action="store_true", help="measure with the page cache off")
    args = parser.parse_args(argv)
    args.data_dir = args.data_dir.resolve()

    build_demo(args)
    port = free_port()
    server = start_server(args, port)
    try:
        rows = []
        for name in args.targets:
            print(f"loading {name} ...", file=sys.stderr, flush=True)
            rows.append(run_target(name, port, server.pid, args))
    finally:
        stop_server(server)
    print_table(rows, args)
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
