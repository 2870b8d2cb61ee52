import sys

from nnteach.builders import is_model_builder
from nnteach.layers import PRESETS, Dropout
from nnteach.widgets import LayerStackBuilder

# The notebook's builder, found by type (not by the variable name the notebook chose).
(builder,) = {
    id(v): v for k, v in list(globals().items()) if not k.startswith("_") and isinstance(v, LayerStackBuilder)
}.values()

assert builder.spec == PRESETS["mlp"], builder.spec
assert builder.preset == "mlp" and builder.total_params == 101_770
assert builder.problems == () and builder.error == ""
table = builder.views["table"].value
assert "100,480" in table and "784 × 128 + 128 = 100,480" in table
builder.add_layer(Dropout(1.0))
assert "drops every unit" in builder.error and builder.preset == "custom"
assert is_model_builder(builder)
assert "tensorflow" not in sys.modules, "building and editing the stack must not import TensorFlow"
