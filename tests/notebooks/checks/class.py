# The teacher page: a board and the class's digits, over an empty class space in the work folder.
from nnteach.classroom.session import current_session
from nnteach.data import load_mnist
from nnteach.widgets import ClassBoard, ClassDigits


def widgets_of(kind: type) -> list:
    """The page's widgets of one type, found in the namespace it left (not by variable name)."""
    return list({id(value): value for value in list(globals().values()) if isinstance(value, kind)}.values())


boards, digit_views = widgets_of(ClassBoard), widgets_of(ClassDigits)
assert len(boards) == 1 and len(digit_views) == 1, "the page shows one board and one digits view"
board, digits_view = boards[0], digit_views[0]
assert board.available and board.runs_shown == 0 and board.teacher is False
assert board.class_counts == {"learners": 0, "digits": 0, "runs": 0}
assert digits_view.class_accuracy is None and sum(digits_view.counts) == 0
session = current_session()
session.join("Check")
_, (x_test, y_test) = load_mnist()
session.share_digit(int(y_test[0]), x_test[0])
assert board.poll() and digits_view.poll()
assert board.class_counts == {"learners": 1, "digits": 1, "runs": 0}
assert digits_view.counts[int(y_test[0])] == 1 and digits_view.class_accuracy == 1.0
assert 0.9 < digits_view.mnist_accuracy < 1.0
