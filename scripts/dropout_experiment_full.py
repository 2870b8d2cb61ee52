"""Run the tutorials' dropout experiment once and package its RunLog for lesson 6.

The seed MLP (Flatten, Dense(128, relu), Dropout(rate), Dense(10, softmax); adam) is
trained at dropout rates 0.0, 0.2, 0.4, 0.6 and 0.8, validated on the test set after every
epoch. The full setting (all 60,000 images, 100 epochs) takes hours on 2 CPU cores; run it
once from the repository root:

    .venv/bin/python scripts/dropout_experiment_full.py

It writes ``src/nnteach/_weights/dropout_experiment.json`` (a ``RunLog``), with the command
that made it in every run's settings, which ``nnteach.packaged.reference_dropout_runlog()``
loads. ``--epochs`` and ``--subset`` make a smaller experiment (recorded the same way).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

from nnteach._tf import import_keras
from nnteach.training import DropoutExperiment, RunLog

TARGET = Path(__file__).resolve().parents[1] / "src" / "nnteach" / "_weights" / "dropout_experiment.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--subset", type=int, default=None, help="training images (default: all 60,000)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()

    command = "python scripts/dropout_experiment_full.py " + " ".join(sys.argv[1:])
    started = time.monotonic()

    def progress(experiment: DropoutExperiment) -> None:
        run = experiment.current
        if run is not None and run.batches_done % run.batches_per_epoch == 0:
            print(f"rate {experiment.rates[experiment.finished]:g}: epoch {run.batches_done // run.batches_per_epoch}")

    experiment = DropoutExperiment(
        epochs=args.epochs, subset=args.subset, batch_size=args.batch_size, seed=args.seed, on_batch=progress
    )
    log = experiment.run()
    provenance = {
        "command": command.strip(),
        "keras_version": import_keras().__version__,
        "python": platform.python_version(),
        "minutes": round((time.monotonic() - started) / 60, 1),
    }
    packaged = RunLog()
    for run in log:
        packaged.add(run.name, {**run.settings, **provenance}, run.history)
    packaged.save(args.output)
    print(f"wrote {args.output} ({len(packaged)} runs, {provenance['minutes']} minutes)")


if __name__ == "__main__":
    main()
