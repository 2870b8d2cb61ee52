from nnteach.classroom.session import current_session
from nnteach.widgets import ShareRow

(row,) = {id(v): v for v in list(globals().values()) if isinstance(v, ShareRow)}.values()
row.name = "Gallery learner"
assert row.share() == f"Shared MNIST's first test digit (a {y_test[0]}) as class entry 1."
digits = current_session().store.digits()
assert [(d.display_name, d.label) for d in digits] == [("Gallery learner", int(y_test[0]))]
assert (digits[0].image == x_test[0]).all()
