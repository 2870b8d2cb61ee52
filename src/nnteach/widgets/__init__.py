"""nnteach's widgets: thin ipywidgets views over the UI-free logic in ``nnteach``.

Each widget lives in its own module and is imported on first use, so
``import nnteach.widgets`` stays light (no TensorFlow, no unused widget modules).

Example:
    >>> from nnteach.widgets import ProbabilityBars
    >>> ProbabilityBars(values=(0.1, 0.9), labels=("cat", "dog")).highlight
    1
"""

from __future__ import annotations

import importlib
from typing import Any

# Public widget name -> module in nnteach.widgets that defines it.
_MODULES = {
    "ActivationExplorer": "activation_explorer",
    "ClassBoard": "class_board",
    "ClassDigits": "class_digits",
    "ConfusionMatrix": "confusion_matrix",
    "DigitCanvas": "digit_canvas",
    "DigitGrid": "digit_grid",
    "DigitImage": "digit_image",
    "ErrorArea": "_parts",
    "FoolingView": "_fooling_view",
    "HandwritingCheck": "handwriting_check",
    "HiddenUnits": "hidden_units",
    "InsideView": "_inside_view",
    "LayerStackBuilder": "layer_stack_builder",
    "LinkToView": "link_to_view",
    "MistakeBrowser": "_mistake_browser",
    "ModelPicker": "model_picker",
    "NeuronView": "neuron_view",
    "OneHotSoftmaxView": "onehot_softmax",
    "PerceptronView": "perceptron_view",
    "PipelineToggle": "pipeline_toggle",
    "PlaygroundView": "playground_view",
    "PlotImage": "_parts",
    "ProbabilityBars": "probability_bars",
    "RunComparison": "run_comparison",
    "RunLogFiles": "run_log_files",
    "SaliencyView": "_saliency_view",
    "ShareRow": "share_row",
    "TeacherLinks": "teacher_links",
    "TrainingMonitor": "training_monitor",
    "WeightTemplates": "weight_templates",
    "page_links": "link_to_view",
}

__all__ = [
    "ActivationExplorer",
    "ClassBoard",
    "ClassDigits",
    "ConfusionMatrix",
    "DigitCanvas",
    "DigitGrid",
    "DigitImage",
    "ErrorArea",
    "FoolingView",
    "HandwritingCheck",
    "HiddenUnits",
    "InsideView",
    "LayerStackBuilder",
    "LinkToView",
    "MistakeBrowser",
    "ModelPicker",
    "NeuronView",
    "OneHotSoftmaxView",
    "PerceptronView",
    "PipelineToggle",
    "PlaygroundView",
    "PlotImage",
    "ProbabilityBars",
    "RunComparison",
    "RunLogFiles",
    "SaliencyView",
    "ShareRow",
    "TeacherLinks",
    "TrainingMonitor",
    "WeightTemplates",
    "page_links",
]


def __getattr__(name: str) -> Any:
    module_name = _MODULES.get(name)
    if module_name is None:
        raise AttributeError(f"module 'nnteach.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"nnteach.widgets.{module_name}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
