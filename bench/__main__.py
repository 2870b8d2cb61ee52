"""Run every ``bench/bench_*.py``, print one table and write ``bench/results.json``.

Usage: ``python -m bench [topic ...]`` (``make bench``). Misses against targets are flagged.
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
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "versions": _versions(),
        "results": rows,
    }
    (HERE / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    misses = [row for row in rows if row.get("ok") is False]
    print(f"\n{len(rows)} figures, {len(misses)} missed their target; written to bench/results.json")
    for row in misses:
        print(f"  MISS: {row['module']}: {row['figure']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
