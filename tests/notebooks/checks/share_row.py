from nnteach.classroom.session import current_session
from nnteach.widgets import ShareRow

digit_row, run_row = {id(v): v for v in list(globals().values()) if isinstance(v, ShareRow)}.values()
digit_row.name = "Gallery learner"
assert digit_row.share() == f"Shared MNIST's first test digit (a {y_test[0]}) as class entry 1."
digits = current_session().store.digits()
assert [(d.display_name, d.label) for d in digits] == [("Gallery learner", int(y_test[0]))]
assert (digits[0].image == x_test[0]).all()
assert run_row.share() == "Sent to the class board (run 1).", "the name typed once is reused"
assert [run.figures.val_accuracy for run in current_session().store.runs()] == [0.88]
