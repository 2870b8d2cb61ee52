import sys

import numpy as np

from nnteach.widgets import PlaygroundView


def widgets_of(kind: type) -> list:
    """The lesson's widgets of one type, found in the namespace it left (not by variable name)."""
    found = {id(value): value for value in list(globals().values()) if isinstance(value, kind)}
    found |= {id(value): value for value in list(Out.values()) if isinstance(value, kind)}
    return list(found.values())


views = widgets_of(PlaygroundView)
assert len(views) == 3, views
assert "tensorflow" not in sys.modules, "lesson 8's first screen must not import TensorFlow"
flat = next(view for view in views if view.dataset == "xor" and view.hidden_layers == ())
hidden = next(view for view in views if view.dataset == "xor" and view.hidden_layers == (4,))
noisy = next(view for view in views if view.dataset == "circles")

# "No straight line puts two opposite corners on one side": no hidden layer stays near 50-75 %.
flat.epochs = 40
await flat.start()  # noqa: F704, PLE1142 - top-level await in the notebook's kernel
assert flat.state == "done" and 0.4 <= flat.test_accuracy <= 0.8, flat.test_accuracy
# "One hidden layer of 4 tanh neurons ... passes 95 %", and the network picture shows 4 neurons.
hidden.epochs = 40
await hidden.start()  # noqa: F704, PLE1142
assert hidden.test_accuracy > 0.95, hidden.test_accuracy
assert hidden.network_picture.value.count("<image") == 2 + 4 + 1
assert (
    hidden.network_picture.value.count("class='nnteach-pg-weight ") == 2 * 4 + 4 * 2
)  # one line a weight, any language

# Overfitting: the training loss keeps falling while the test loss turns up; L2 and more points help.
noisy.epochs = 150
await noisy.start()  # noqa: F704, PLE1142
losses = np.array(noisy.loss_history)
assert losses[-1, 0] < 0.5 * losses[:, 1].min(), losses[-1]
assert losses[-1, 1] > 1.5 * losses[:, 1].min(), (losses[:, 1].min(), losses[-1, 1])
gap = losses[-1, 1] - losses[-1, 0]
for fix in ({"l2": 0.01}, {"points": 600}):
    other = PlaygroundView(
        dataset="circles",
        noise=0.3,
        hidden_layers=(8, 8, 8),
        activation="relu",
        epochs=150,
        points=fix.get("points", 60),
        l2=fix.get("l2", 0.0),
    )
    await other.start()  # noqa: F704, PLE1142
    assert other.test_loss - other.train_loss < 0.5 * gap, (fix, other.train_loss, other.test_loss, gap)
    other.close()

# "Show Keras code gives the exact model and training code": it runs and learns XOR too.
namespace: dict = {}
exec(hidden.keras_code, namespace)  # noqa: S102 - what a learner pastes into a notebook
model, code_data = namespace["model"], namespace["data"]
np.testing.assert_array_equal(code_data.x_train, hidden.data.x_train)
assert model.count_params() == hidden.model.count_params() == 2 * 4 + 4 + 4 * 2 + 2
assert model.evaluate(code_data.x_test, code_data.y_test, verbose=0)[1] > 0.9

# "Link to this view" carries the playgrounds' settings as they are now (what differs from the page).
from nnteach.widgets import LinkToView  # noqa: E402


def parts_of(kind: type) -> list:
    """Widgets of one type inside what the lesson's cells showed (the lesson links hold the link button)."""
    stack, found = list(Out.values()), []
    while stack:
        value = stack.pop()
        found += [value] if isinstance(value, kind) else []
        stack += list(getattr(value, "children", ()))
    return found


(link,) = parts_of(LinkToView)
address = link.make_link()
assert "noisy.epochs=150" in address and "bent.hidden_layers" not in address, address
