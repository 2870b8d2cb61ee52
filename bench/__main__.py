"""Run every ``bench/bench_*.py``, print one table and write ``bench/results.json``.

Usage: ``python -m bench [topic ...]`` (``make bench``). Misses against targets are flagged. A
run of some topics replaces only their rows in ``results.json``; every row carries ``measured``.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.metadata
import json
import os
import platform
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _machine() -> dict[str, object]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {"cores": os.cpu_count(), "memory_gib": memory_gib, "cpu": cpu, "python": platform.python_version()}


def _versions() -> dict[str, str]:
    names = ("nnteach", "numpy", "keras", "tensorflow-cpu", "ipywidgets", "ipycanvas", "voila", "playwright")
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def _merged(rows: list[dict[str, object]], modules: list[str]) -> list[dict[str, object]]:
    """``rows`` in place of the earlier rows of the modules just run; other modules' rows kept.

    ``python -m bench handwriting`` refreshes one topic without losing the rest of the record
    (each row says when it was measured).
    """
    path = HERE / "results.json"
    try:
        earlier = json.loads(path.read_text())["results"]
    except (OSError, ValueError, KeyError, TypeError):
        earlier = []
    kept = [row for row in earlier if isinstance(row, dict) and row.get("module") not in modules]
    return sorted([*kept, *rows], key=lambda row: str(row.get("module")))


def main(topics: list[str]) -> int:
    modules = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if topics:
        modules = [name for name in modules if any(topic in name for topic in topics)]
    rows = []
    for name in modules:
        print(f"== {name}", flush=True)
        try:
            results = importlib.import_module(f"bench.{name}").run()
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
            traceback.print_exc()
            rows.append({"module": name, "figure": "FAILED", "value": None, "ok": False})
            continue
        for result in results:
            rows.append({"module": name, **result.as_dict()})
            flag = "" if result.ok is None else ("ok" if result.ok else "MISS")
            ratio = f"x{result.ratio:.2f} vs {result.baseline}" if result.ratio is not None else ""
            target = f"target {result.target}" if result.target else ""
            print(f"  {result.figure:<58} {result.value:>10.3f} {result.unit:<6} {ratio:<40} {target:<18} {flag}")
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for row in rows:
        row["measured"] = now
    report = {"date": now, "machine": _machine(), "versions": _versions(), "results": _merged(rows, modules)}
    (HERE / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    misses = [row for row in rows if row.get("ok") is False]
    print(f"\n{len(rows)} figures, {len(misses)} missed their target; written to bench/results.json")
    for row in misses:
        print(f"  MISS: {row['module']}: {row['figure']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
