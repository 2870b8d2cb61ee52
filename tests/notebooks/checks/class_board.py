from nnteach.classroom.entries import RunFigures
from nnteach.classroom.session import current_session
from nnteach.widgets import ClassBoard

(board,) = {id(v): v for v in list(globals().values()) if isinstance(v, ClassBoard)}.values()
assert board.available and board.runs_shown == 0
session = current_session()
session.join("Gallery")
session.share_run(RunFigures("gallery", {}, "Flatten → Dense(10, softmax)", 7850, 1, 2000, 32, val_accuracy=0.88))
assert board.poll() and board.runs_shown == 1
assert "Gallery" in board.table_html and "88.00 %" in board.table_html
