"""Load generators for bench_web, run in their own process so that they do not share the
server's interpreter: Debian's `wrk` when installed (C, one thread), else a lean asyncio
client over raw keep-alive HTTP/1.1 connections (`python -m bench.loadgen`). Timings are
bench floats."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit

WRK = shutil.which("wrk")
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if m is None:
        raise ValueError(f"wrk latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def with_wrk(url: str, token: str, clients: int, seconds: float) -> dict[str, float]:
    """`wrk -t1 -c N -d S --latency`: requests per second, p50 and p99 in ms."""
    out = subprocess.run(
        [WRK or "wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--latency", "--timeout", "30s",
         "-H", f"Authorization: Bearer {token}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in out:
        raise RuntimeError(f"{url}: some answers were not 200\n{out}")
    pct = dict(re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", out, re.M))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    assert rps and total, out
    return {
        "rps": float(rps.group(1)),
        "p50": _ms(pct["50"]),
        "p99": _ms(pct["99"]),
        "requests": float(total.group(1)),
    }


async def _raw(url: str, token: str, clients: int, seconds: float) -> dict[str, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def one_client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = re.search(rb"(?i)content-length:\s*(\d+)", head)
            if length is None:
                raise RuntimeError(f"{url}: no Content-Length in {head[:200]!r}")
            await reader.readexactly(int(length.group(1)))
            latencies.append((time.perf_counter() - t0) * 1000)
            if status != b"200":
                raise RuntimeError(f"{url}: {status.decode()}")
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "rps": len(latencies) / wall,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "requests": float(len(latencies)),
    }


def with_raw_asyncio(url: str, token: str, clients: int, seconds: float) -> dict[str, float]:
    """The asyncio client in a separate process (`python -m bench.loadgen`)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", url, token, str(clients), str(seconds)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures: dict[str, float] = json.loads(out)
    return figures


def measure(url: str, token: str, clients: int, seconds: float) -> dict[str, float]:
    if WRK:
        return with_wrk(url, token, clients, seconds)
    return with_raw_asyncio(url, token, clients, seconds)


def name() -> str:
    return (
        f"wrk ({WRK}), one thread, its own process"
        if WRK
        else "asyncio over raw keep-alive HTTP/1.1, its own process (wrk not installed)"
    )


if __name__ == "__main__":
    url, token, clients, seconds = sys.argv[1:5]
    print(json.dumps(asyncio.run(_raw(url, token, int(clients), float(seconds)))))
