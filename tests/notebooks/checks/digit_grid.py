import sys

import numpy as np

wrong = int(np.sum(probabilities.argmax(axis=1) != y_test[:100]))
assert predictions.count == 100 and predictions.pages == 1
assert predictions.wrong_on_page == wrong
assert predictions.captions()[0].startswith("label 7 · pred 7")
assert browser.pages == 1200
browser.next_button.click()
assert browser.page == 1 and browser.captions()[0] == f"label {y_train[50]}"
assert "tensorflow" not in sys.modules, "the grid and the reference model are NumPy only"
