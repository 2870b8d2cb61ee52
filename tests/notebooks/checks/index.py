import sys

assert "recognizes 97" in status.value or "recognizes 98" in status.value, status.value
assert "tensorflow" not in sys.modules, "the index must not import TensorFlow"
