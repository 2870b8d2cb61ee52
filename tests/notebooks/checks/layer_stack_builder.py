import sys

from nnteach.layers import PRESETS, Dropout

assert builder.spec == PRESETS["mlp"], builder.spec
assert builder.total_params == 101_770
assert builder.problems == () and builder.error == ""
assert "100,480" in builder.table.value and "784 × 128 + 128 = 100,480" in builder.table.value
builder.add_layer(Dropout(1.0))
assert "drops every unit" in builder.error
assert "tensorflow" not in sys.modules, "building and editing the stack must not import TensorFlow"
