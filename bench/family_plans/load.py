"""The load generator, run as its own process: client threads with http.client, each
sending one request after the other for a fixed time (and at most ``limit`` requests)."""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from typing import Any


def run(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    clients: int,
    seconds: float,
    limit: int,
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline:
            with lock:
                if len(latencies) + len(mine) >= limit:
                    break
            start = time.perf_counter()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except OSError:
                failed += 1
            finally:
                conn.close()
            mine.append(time.perf_counter() - start)
            if len(mine) >= 50:
                with lock:
                    latencies.extend(mine)
                mine = []
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "errors": errors[0],
        "seconds": elapsed,
        "rps": n / elapsed if elapsed else 0.0,
        "p50_ms": statistics.median(latencies) * 1000 if n else 0.0,
        "p95_ms": latencies[min(n - 1, int(n * 0.95))] * 1000 if n else 0.0,
        "latencies_ms": [round(x * 1000, 3) for x in latencies],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--limit", type=int, default=20000)
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    print(
        json.dumps(
            run("127.0.0.1", args.port, args.path, headers, args.clients, args.seconds, args.limit)
        )
    )


if __name__ == "__main__":
    main()
