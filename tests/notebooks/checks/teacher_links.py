from nnteach.widgets import TeacherLinks

(panel,) = {id(v): v for v in list(globals().values()) if isinstance(v, TeacherLinks)}.values()
assert "04_multilayer_perceptron" in panel.lessons and "05_activation_functions" in panel.lessons
panel.lesson = "04_multilayer_perceptron"
value, hide, lock = panel.rows["builder.preset"]
value.value = "mlp_sigmoid_relu"
lock.value = True
panel.rows["monitor.epochs"][0].value = "3"
panel.projector = True
assert panel.make_link(host="") == (
    "04_multilayer_perceptron.ipynb?projector=1&builder.preset=mlp_sigmoid_relu&monitor.epochs=3&lock=builder.preset"
)
