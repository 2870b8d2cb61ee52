import sys
from pathlib import Path

import numpy as np

import nnteach

# Ten templates for the softmax regression, 8 of the MLP's 128 hidden neurons; the colour scale
# is the 99th percentile of the packaged file's absolute weights.
assert (templates.neurons, templates.shown) == (10, 10)
with np.load(Path(nnteach.__file__).parent / "_weights" / "reference_softmax_regression.npz") as npz:
    assert abs(templates.limit - float(np.percentile(np.abs(npz["kernel_0"]), 99))) < 1e-6
assert (hidden.neurons, hidden.shown) == (128, 8)
assert "tensorflow" not in sys.modules, "WeightTemplates of packaged models is NumPy only"
