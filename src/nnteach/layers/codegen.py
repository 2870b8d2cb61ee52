"""From a ``ModelSpec`` to Keras and back: runnable code in three styles, a built model, and reading one.

``to_code`` needs no TensorFlow; ``to_keras`` and ``from_keras`` import it lazily.

Example:
    >>> from nnteach.layers.spec import PRESETS
    >>> print(to_code(PRESETS["softmax_regression"], "add"))
    import keras
    from keras import layers
    <BLANKLINE>
    model = keras.Sequential()
    model.add(keras.Input(shape=(28, 28)))
    model.add(layers.Flatten())
    model.add(layers.Dense(10))
"""

from __future__ import annotations

import json
from typing import Any, Literal

from nnteach._tf import import_keras
from nnteach.activations import KERAS_NAMES
from nnteach.i18n import _
from nnteach.layers.kinds import Activation, BatchNormalization, Dense, Dropout, Flatten, Layer
from nnteach.layers.spec import CompileSpec, ModelSpec
from nnteach.layers.validation import PARAM_BUDGET, check_compile, validate

__all__ = ["STYLES", "compile_model", "from_keras", "to_code", "to_keras"]

Style = Literal["list", "add", "functional"]
STYLES: tuple[Style, ...] = ("list", "add", "functional")

# Keras names some activations differently from the tutorials (swish is an alias of silu).
_KERAS_ALIASES = {"silu": "swish"}


def _layer_code(layer: Layer) -> str:
    if isinstance(layer, Dense):
        if layer.activation is None:
            return f"layers.Dense({layer.units})"
        return f'layers.Dense({layer.units}, activation="{layer.activation}")'
    if isinstance(layer, Dropout):
        return f"layers.Dropout({layer.rate!r})"
    if isinstance(layer, Activation):
        return f'layers.Activation("{layer.name}")'
    return f"layers.{layer.kind}()"


def _compile_code(compile_spec: CompileSpec) -> list[str]:
    optimizer = {"adam": "Adam", "sgd": "SGD"}[compile_spec.optimizer]
    loss = {
        "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
        "categorical_crossentropy": "CategoricalCrossentropy",
    }[compile_spec.loss]
    return [
        "",
        "model.compile(",
        f"    optimizer=keras.optimizers.{optimizer}(learning_rate={compile_spec.learning_rate!r}),",
        f"    loss=keras.losses.{loss}(from_logits={compile_spec.from_logits!r}),",
        f"    metrics={json.dumps(list(compile_spec.metrics))},",
        ")",
    ]


def _refuse_errors(problems: list[Any]) -> None:
    errors = [problem for problem in problems if problem.blocking]
    if errors:
        raise ValueError(errors[0].message)


def to_code(spec: ModelSpec, style: Style = "list", *, compile_spec: CompileSpec | None = None) -> str:
    """Runnable Keras code defining ``model`` in one of the tutorials' styles.

    ``style`` is ``"list"`` (``keras.Sequential([...])``), ``"add"`` (``model.add(...)`` one
    layer at a time) or ``"functional"`` (``x = layer(x)``, then ``keras.Model``). With
    ``compile_spec``, the code also compiles the model. Raises ``ValueError`` if a layer's
    settings are invalid (the code would not run).
    """
    if style not in STYLES:
        raise ValueError(
            _("Expected style 'list', 'add' or 'functional'. Received: style={style}.").format(style=repr(style))
        )
    _refuse_errors(validate(spec, max_params=None, n_classes=None))
    shape = f"keras.Input(shape={spec.input_shape!r})"
    lines = ["import keras", "from keras import layers", ""]
    codes = [_layer_code(layer) for layer in spec.layers]
    if style == "list":
        lines += ["model = keras.Sequential(", "    [", f"        {shape},"]
        lines += [f"        {code}," for code in codes]
        lines += ["    ]", ")"]
    elif style == "add":
        lines += ["model = keras.Sequential()", f"model.add({shape})"]
        lines += [f"model.add({code})" for code in codes]
    else:
        lines += [f"inputs = {shape}", "x = inputs"]
        lines += [f"x = {code}(x)" for code in codes]
        lines += ["model = keras.Model(inputs=inputs, outputs=x)"]
    if compile_spec is not None:
        _refuse_errors(check_compile(spec, compile_spec))
        lines += _compile_code(compile_spec)
    return "\n".join(lines)


def _keras_layer(keras: Any, layer: Layer) -> Any:
    if isinstance(layer, Dense):
        return keras.layers.Dense(layer.units, activation=layer.activation)
    if isinstance(layer, Dropout):
        return keras.layers.Dropout(layer.rate)
    if isinstance(layer, Activation):
        return keras.layers.Activation(layer.name)
    if isinstance(layer, BatchNormalization):
        return keras.layers.BatchNormalization()
    return keras.layers.Flatten()


def compile_model(model: Any, compile_spec: CompileSpec) -> Any:
    """Compile a Keras ``model`` with the optimizer, loss and metrics ``compile_spec`` describes."""
    keras = import_keras()
    optimizer_class = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD}[compile_spec.optimizer]
    loss_class = {
        "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
        "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
    }[compile_spec.loss]
    model.compile(
        optimizer=optimizer_class(learning_rate=compile_spec.learning_rate),
        loss=loss_class(from_logits=compile_spec.from_logits),
        metrics=list(compile_spec.metrics),
    )
    return model


def to_keras(
    spec: ModelSpec,
    compile_spec: CompileSpec | None = None,
    *,
    max_params: int | None = PARAM_BUDGET,
    n_classes: int | None = 10,
) -> Any:
    """Build ``spec`` as a ``keras.Sequential`` with an ``Input`` (compiled if ``compile_spec`` is given).

    Raises ``ValueError`` with the first error ``validate`` (and ``check_compile``) finds;
    ``max_params`` and ``n_classes`` are passed on to ``validate``. Imports TensorFlow.
    """
    _refuse_errors(validate(spec, max_params=max_params, n_classes=n_classes))
    if compile_spec is not None:
        _refuse_errors(check_compile(spec, compile_spec))
    keras = import_keras()
    model = keras.Sequential([keras.Input(shape=spec.input_shape), *(_keras_layer(keras, x) for x in spec.layers)])
    if compile_spec is not None:
        compile_model(model, compile_spec)
    return model


def _activation_name(layer: Any, function: Any) -> str:
    name = getattr(function, "__name__", repr(function))
    name = _KERAS_ALIASES.get(name, name)
    if name not in KERAS_NAMES:
        raise ValueError(
            f"Layer {layer.name!r} uses the activation {name!r}, which the builder does not know; "
            f"expected one of {', '.join(KERAS_NAMES)}. Use one of those to read the model back."
        )
    return name


def from_keras(model: Any) -> ModelSpec:
    """Read a Keras Sequential model made of Flatten, Dense, Dropout, BatchNormalization and Activation layers.

    Dense layers without an activation (``linear``) come back with ``activation=None``.
    Anything else raises a ``ValueError`` naming the layer.
    """
    keras = import_keras()
    if not isinstance(model, keras.Sequential):
        raise ValueError(
            f"from_keras reads keras.Sequential models. Received: a {type(model).__name__}. "
            "Rebuild it as keras.Sequential([keras.Input(shape=(28, 28)), ...])."
        )
    inputs = getattr(model, "inputs", None)
    if not inputs:
        raise ValueError(
            "The model has no input shape yet, so its layer shapes are unknown. "
            "Start it with keras.Input(shape=(28, 28))."
        )
    input_shape = tuple(int(n) for n in inputs[0].shape[1:])
    layers: list[Layer] = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            if not layer.use_bias:
                raise ValueError(
                    f"Layer {layer.name!r} (Dense) has use_bias=False, but the builder's Dense always has biases. "
                    "Rebuild it with use_bias=True."
                )
            activation = _activation_name(layer, layer.activation)
            layers.append(Dense(int(layer.units), None if activation == "linear" else activation))
        elif isinstance(layer, keras.layers.Dropout):
            layers.append(Dropout(float(layer.rate)))
        elif isinstance(layer, keras.layers.Flatten):
            layers.append(Flatten())
        elif isinstance(layer, keras.layers.BatchNormalization):
            if layer.axis not in (-1, len(input_shape)) or not (layer.center and layer.scale):
                raise ValueError(
                    f"Layer {layer.name!r} (BatchNormalization) normalizes axis {layer.axis} or lacks a scale or "
                    "shift, but the builder's BatchNormalization uses the defaults. Rebuild it with the defaults."
                )
            layers.append(BatchNormalization())
        elif isinstance(layer, keras.layers.Activation):
            layers.append(Activation(_activation_name(layer, layer.activation)))
        else:
            raise ValueError(
                f"Layer {layer.name!r} is a {type(layer).__name__}, which the builder cannot show; it reads "
                "Flatten, Dense, Dropout, BatchNormalization and Activation layers."
            )
    return ModelSpec(tuple(layers), input_shape)
