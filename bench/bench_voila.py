"""Voila: time from request to interactive for every lesson and the index, and which import TensorFlow.

"Interactive" is defined in ``bench/_voila.py``: every widget the kernel displayed is rendered,
the lesson's ready text is in the page, and a ``kernel_info_request`` sent on the page's kernel
websocket after that has been answered, on the page's clock from the navigation request.

Each page is loaded ``REPEATS`` times, round robin, each time with a fresh kernel (preheated
kernels are off in ``lessons/voila.json``: a cold kernel per visit). The browser cache is warm
(one context, as for a learner who opened the index and clicks through the lessons); the
index is also timed once in an empty context (a first visit). The baseline, measured in the
same run by the same server, is a bare page: one ipywidgets Button and an HTML label.
Whether a page's kernel imported TensorFlow is read from the kernel process's mapped libraries;
its CPU seconds (start-up, the notebook, answering the page) are noted, as they depend less
on how busy the machine is than wall times do.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import nbformat

from bench import _voila
from bench._common import Result

REPEATS = 3
TARGET_MS = 3000.0
BASELINE = "_baseline.ipynb"
BASELINE_TEXT = "bare page ready"


def _write_baseline(folder: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Baseline\n\nA bare ipywidgets page."),
        nbformat.v4.new_code_cell(
            "import ipywidgets as widgets\n\n"
            f"widgets.VBox([widgets.HTML({BASELINE_TEXT!r}), widgets.Button(description='Press')])"
        ),
    ]
    nbformat.write(notebook, folder / BASELINE)


def _one_load(context: object, server: _voila.VoilaServer, notebook: str, text: str) -> tuple[_voila.Load, bool, float]:
    """One cold-kernel load: its timings, whether the kernel imported TensorFlow, its CPU seconds so far."""
    page = _voila.new_page(context, text)
    try:
        load = _voila.load_until_interactive(page, server, notebook)
        process = _voila.kernel_process(load.kernel_id)
        tensorflow = process is not None and _voila.uses_tensorflow(process)
        cpu = process.cpu_times() if process is not None else None
    finally:
        page.close()
    _voila.shutdown_kernel(server, load.kernel_id)
    return load, tensorflow, (cpu.user + cpu.system) if cpu is not None else float("nan")


def run() -> list[Result]:
    work = Path(tempfile.mkdtemp(prefix="nnteach-bench-voila-"))
    folder = _voila.copy_lessons(work)
    _write_baseline(folder)
    pages = {BASELINE: BASELINE_TEXT, **_voila.LESSONS}
    loads: dict[str, list[_voila.Load]] = {name: [] for name in pages}
    tensorflow: dict[str, bool] = dict.fromkeys(pages, False)
    cpu_s: dict[str, list[float]] = {name: [] for name in pages}
    server = _voila.serve(folder, work)
    try:
        with _voila.chromium() as browser:
            first_visit, _, _ = _one_load(_voila.new_context(browser), server, "index.ipynb", pages["index.ipynb"])
            context = _voila.new_context(browser)
            _one_load(context, server, BASELINE, BASELINE_TEXT)  # fills the HTTP cache; not counted
            for _ in range(REPEATS):
                for name, text in pages.items():
                    load, imported, cpu = _one_load(context, server, name, text)
                    loads[name].append(load)
                    cpu_s[name].append(cpu)
                    tensorflow[name] = tensorflow[name] or imported
    finally:
        _voila.stop_voila(server)

    baseline = statistics.median(load.interactive_ms for load in loads[BASELINE])
    results = [
        Result(
            "bare ipywidgets page: request -> interactive (baseline)",
            baseline,
            "ms",
            note=f"median of {REPEATS}; cold kernel, warm browser cache; "
            f"kernel CPU {statistics.median(cpu_s[BASELINE]):.2f} s",
        )
    ]
    for name in _voila.LESSONS:
        value = statistics.median(load.interactive_ms for load in loads[name])
        html = statistics.median(load.html_done_ms for load in loads[name])
        rendered = statistics.median(load.rendered_ms for load in loads[name])
        results.append(
            Result(
                f"{name.removesuffix('.ipynb')}: request -> interactive",
                value,
                "ms",
                baseline="bare page",
                baseline_value=baseline,
                target=f"< {TARGET_MS:.0f} ms",
                ok=value < TARGET_MS,
                note=(
                    f"median of {REPEATS} (max {max(load.interactive_ms for load in loads[name]):.0f}); "
                    f"kernel done, HTML in {html:.0f} ms; widgets rendered {rendered:.0f} ms; kernel CPU "
                    f"{statistics.median(cpu_s[name]):.2f} s (bare page {statistics.median(cpu_s[BASELINE]):.2f} s); "
                    f"{loads[name][0].widgets} widgets; imports TensorFlow at load: "
                    f"{'YES' if tensorflow[name] else 'no'}; preheat off"
                ),
            )
        )
    results.append(
        Result(
            "index, first visit (empty browser cache): request -> interactive",
            first_visit.interactive_ms,
            "ms",
            baseline="bare page",
            baseline_value=baseline,
            target=f"< {TARGET_MS:.0f} ms",
            ok=first_visit.interactive_ms < TARGET_MS,
            note="one load: Voila's JavaScript bundles fetched and compiled once",
        )
    )
    importing = [name.removesuffix(".ipynb") for name in _voila.LESSONS if tensorflow[name]]
    results.append(
        Result(
            "pages whose kernel imports TensorFlow on load",
            float(len(importing)),
            "pages",
            target="0",
            ok=not importing,
            note=", ".join(importing) or "none: TensorFlow loads only when a learner trains or evaluates",
        )
    )
    return results
