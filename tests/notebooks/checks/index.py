import sys

assert "recognizes 97" in status.value or "recognizes 98" in status.value, status.value
assert "101,770 parameters" in status.value, status.value
links = [f'href="{stem}.ipynb"' for stem, _title, _sentence in LESSONS]
assert len(links) == 7 and all(link in cards.value for link in links), cards.value[:500]
assert "tensorflow" not in sys.modules, "the index must not import TensorFlow"
