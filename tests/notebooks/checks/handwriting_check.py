import sys

import numpy as np

from nnteach.widgets import DigitCanvas, HandwritingCheck


def _only(kind):
    values = [v for k, v in list(globals().items()) if not k.startswith("_")] + list(Out.values())
    found = {id(v): v for v in values if isinstance(v, kind)}
    assert len(found) == 1, (kind.__name__, len(found))
    return next(iter(found.values()))


canvas, check = _only(DigitCanvas), _only(HandwritingCheck)
assert check.canvas is canvas and check.summary == "Save a few examples, then press Compare."

# Comparing with no examples says what to do instead of failing.
check.controls["compare"].click()
assert check.errors.message.startswith("Expected some examples of your own handwriting"), check.errors.message

# Keep a "1" and a "0", then compare with MNIST's test digits.
canvas.add_stroke([(140, 50), (140, 230)])
canvas.save_example(1)
canvas.clear()
angles = np.linspace(0, 2 * np.pi, 40)
canvas.add_stroke([(140 + 60 * np.sin(a), 140 - 90 * np.cos(a)) for a in angles])
canvas.save_example(0)
check.controls["compare"].click()
assert check.errors.message == "", check.errors.message
assert check.own_accuracy == 1.0 and check.compared == 2 and check.mnist_accuracy > 0.95, check.summary
assert check.summary.startswith("Your digits: 100% of 2 right · MNIST test digits:"), check.summary
assert "tensorflow" not in sys.modules, "the check with the reference model must not import TensorFlow"
