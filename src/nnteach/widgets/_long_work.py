"""Long work in a widget: Start / Stop, a ``state`` the browser cannot write, progress, hosted caps.

``TrainingMonitor`` and ``RunComparison`` train for minutes. Both use one :class:`LongWork`:

- the owner's ``state`` trait (:func:`state_trait`, an ``Enum``) moves through
  ``idle → loading → training → (stopping →) evaluating → done | stopped`` (or ``error``);
  it is synced for the page to read but, as in every :class:`NNTeachWidget`, a front-end
  write to it is dropped, and Start while busy returns the running task: no second run;
- Start shows "Loading Keras…" at once and disables itself before TensorFlow is imported;
- the work runs as an asyncio task that yields to the kernel after every step (a batch, or a
  validation chunk) for a few event-loop turns (:data:`YIELDS`), so a Stop click is handled
  within the batch under way, before the next one; without a running event loop (a script)
  it runs to the end, blocking;
- after the last batch, the owner's ``finish`` runs with its sentence shown first
  ("Measuring test accuracy…");
- on a class server (``NNTEACH_HOSTED=1``) the caps of :mod:`nnteach.hosting` bound the
  number boxes and clamp values set in code, with one sentence.

Example:
    >>> import traitlets
    >>> from nnteach.widgets._base import NNTeachWidget
    >>> class Counter(NNTeachWidget):
    ...     state = state_trait()
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.work = LongWork(self, prepare=lambda: Steps(3), css="nnteach-counter")
    >>> widget = Counter()
    >>> widget.work.start() is None, widget.state  # no event loop here: it ran to the end
    (True, 'done')
    >>> widget.close()
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import ipywidgets as widgets
import traitlets

from nnteach.hosting import HostedLimits, cap_message, hosted_limits
from nnteach.i18n import N_, _
from nnteach.memory import release_if_hosted
from nnteach.numbers import grouped
from nnteach.progress import TimeLeft
from nnteach.training import MAX_BATCH_SIZE, MAX_EPOCHS, MNIST_TRAIN_SIZE, Mnist
from nnteach.widgets._base import NNTeachWidget, hold
from nnteach.widgets._base import close_widget as close_with_parts
from nnteach.widgets._parse import typed_whole_number

__all__ = ["BUSY", "STATES", "Job", "LongWork", "Steps", "progress_trait", "state_trait"]

#: Every state of long work, in the order a run goes through them.
STATES = ("idle", "loading", "training", "stopping", "evaluating", "done", "stopped", "error")
#: States in which Start returns the running task instead of starting another.
BUSY = frozenset({"loading", "training", "stopping", "evaluating"})
#: Event-loop turns given to the kernel after every step. A click reaches its handler in ipykernel 7
#: only after a few turns (its shell channel thread hands it over): measured in a real kernel with
#: 5 ms steps, 1 turn let 4 more steps run after the click arrived, 3 turns 2, 6 turns 1 (the step
#: under way). 6 turns cost about 60 µs per step, ~2 % of a batch of 32 of the seed MLP.
YIELDS = 6
#: Caps outside hosted mode: what TrainingRun itself accepts.
NO_CAPS = HostedLimits(MAX_EPOCHS, MNIST_TRAIN_SIZE, MAX_BATCH_SIZE)
_WHY = {
    ("epochs", "high"): N_("more would train for days"),
    ("epochs", "low"): N_("training needs at least one pass over the images"),
    ("batch_size", "high"): N_("a larger batch needs more memory than a lesson's kernel has"),
    ("batch_size", "low"): N_("a batch holds at least one image"),
    ("subset", "high"): N_("MNIST has 60,000 training images"),
    ("subset", "low"): N_("fewer images cannot show learning"),
}


def clamp_message(setting: str, value: int, kept: int) -> str:
    """The sentence a learner reads when a typed setting is changed to the nearest allowed value.

    Example:
        >>> clamp_message("epochs", 99999999, 1000)
        'Changed epochs from 99,999,999 to 1,000, the most allowed: more would train for days.'
    """
    side = "high" if value > kept else "low"
    bound = _("the most allowed") if side == "high" else _("the fewest allowed")
    name = {"batch_size": _("the batch size"), "subset": _("training images")}.get(setting, setting)
    why = _(_WHY.get((setting, side), N_("outside the range")))
    return _("Changed {name} from {value} to {kept}, {bound}: {why}.").format(
        name=name, value=grouped(value), kept=grouped(kept), bound=bound, why=why
    )


def state_trait() -> traitlets.Enum[str]:
    """The ``state`` trait of a widget that does long work: read-only, synced for the page to show."""
    return traitlets.Enum(
        STATES,
        default_value="idle",
        read_only=True,
        help=(
            "Where the work is: idle, loading (Keras and data), training, stopping, evaluating, "
            "done, stopped (by Stop; what was learnt is kept) or error. Read it; the browser cannot set it."
        ),
    ).tag(sync=True)


def progress_trait() -> traitlets.Unicode[str, str | bytes]:
    """The ``progress`` trait of a widget that does long work: the progress line as plain text (read-only)."""
    return traitlets.Unicode("", read_only=True, help="The progress line, as the page shows it (read it).")


def owner_has_progress(owner: object) -> bool:
    return isinstance(getattr(type(owner), "progress", None), traitlets.Unicode)


class Job(Protocol):
    """Work done step by step: ``steps()`` yields after each batch, ``stop()`` ends it before the next."""

    def steps(self) -> Iterator[None]: ...

    def stop(self) -> None: ...


class Steps:
    """A job of ``n`` empty steps (for examples and tests of :class:`LongWork`).

    Example:
        >>> job = Steps(5); job.stop(); sum(1 for _ in job.steps())
        0
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.done = 0
        self.stopped = False

    def steps(self) -> Iterator[None]:
        for _step in range(self.n):
            if self.stopped:
                return
            self.done += 1
            yield

    def stop(self) -> None:
        self.stopped = True


class LongWork:
    """Start / Stop buttons, a state line and a progress line for one widget's long work.

    ``prepare()`` (imports Keras, builds the model, loads data) returns the :class:`Job`;
    ``finish(job, stopped)`` runs after it (evaluation), behind ``finish_text``. Parts for the
    owner's layout: ``start_button``, ``stop_button``, ``state_label``, ``progress_bar``,
    ``progress_label``.
    """

    def __init__(
        self,
        owner: NNTeachWidget,
        *,
        prepare: Callable[[], Job],
        finish: Callable[[Job, bool], None] | None = None,
        css: str,
        start_label: str | None = None,
        loading_text: str | None = None,
        finish_text: str | None = None,
        data: Mnist | None = None,
    ) -> None:
        self.owner = owner
        self.prepare = prepare
        self.finish = finish
        # Translated when the widget is made (the language may be chosen after import).
        self.loading_text = _("Loading Keras…") if loading_text is None else loading_text
        self.finish_text = _("Measuring test accuracy…") if finish_text is None else finish_text
        self.limits: HostedLimits | None = hosted_limits()
        self._lows: dict[str, int] = {}
        self._boxes: dict[str, widgets.Text] = {}
        self.job: Job | None = None
        #: False: Start does nothing, even for a crafted click on a hidden button (a read-only view).
        self.available = True
        self.task: asyncio.Task[None] | None = None
        self._data = data
        self._stop_requested = False
        self._eta = TimeLeft(0)
        self.start_button = widgets.Button(
            description=_("Start") if start_label is None else start_label, button_style="success", icon="play"
        )
        self.start_button.layout.width = "auto"
        self.start_button.add_class(f"{css}-start")
        self.stop_button = widgets.Button(description=_("Stop"), button_style="danger", icon="stop", disabled=True)
        self.stop_button.add_class(f"{css}-stop")
        self.state_label = widgets.HTML()
        self.state_label.add_class(f"{css}-state")
        self.progress_bar = widgets.IntProgress(value=0, min=0, max=1, layout={"width": "32em"})
        self.progress_label = widgets.HTML()
        self.progress_label.add_class(f"{css}-progress")
        self.limits_note = widgets.HTML(
            f"<span class='nnteach-note'>{self.limits.describe()}</span>" if self.limits else ""
        )
        self.limits_note.add_class(f"{css}-limits")
        self.start_button.on_click(lambda _button: self.start())
        self.stop_button.on_click(lambda _button: self.stop())
        self.controls: list[widgets.Widget] = []
        owner.observe(self._on_state, names="state")
        owner.on_close(lambda: owner.unobserve(self._on_state, names="state"))
        owner.on_close(self._cancel)
        owner.on_close(self._close_parts)
        self._on_state()

    # -- caps and data --------------------------------------------------------------------------
    @property
    def caps(self) -> HostedLimits:
        """The hosted caps, or the limits TrainingRun itself has outside hosted mode."""
        return self.limits or NO_CAPS

    def capped(self, setting: str, value: int) -> int:
        """``value`` within its box's range, or the nearest allowed value with one sentence saying why."""
        low, cap = self._lows.get(setting, 1), self.caps.cap(setting)
        if low <= value <= cap:
            return value
        kept = min(max(value, low), cap)
        if self.limits is not None and value > cap:
            self.owner.errors.show(
                _("{cap_message} This run uses {cap}.").format(
                    cap_message=cap_message(setting, value, cap), cap=f"{cap:,}"
                )
            )
        else:
            self.owner.errors.show(clamp_message(setting, value, kept))
        box = self._boxes.get(setting)
        if box is not None and box.value != str(kept):  # the trait may not change (already `kept`): show it anyway
            with self.owner.render_once():  # the widget updating its own control, not the learner
                box.value = str(kept)
        return kept

    def number_box(self, setting: str, description: str, css: str, *, low: int = 1) -> widgets.Text:
        """A box for ``epochs``, ``subset`` or ``batch_size``, bound to the owner's trait; disabled while busy.

        A text box, not the browser's number input (which reverts "abc" without telling the
        kernel): whatever the learner typed reaches the kernel, which reads it
        (:func:`~nnteach.widgets._parse.typed_whole_number`), keeps it within ``low`` and the cap
        (:meth:`capped`) and says in a sentence what it changed.
        """
        self._lows[setting] = low
        box = widgets.Text(
            description=description,
            continuous_update=False,
            layout=widgets.Layout(width="13em"),
            style={"description_width": "6em"},
        )
        box.add_class(css)
        box.add_class("nnteach-number-box")
        self.controls.append(box)
        self._boxes[setting] = box
        return self.owner.bind(box, setting, parse=lambda text: typed_whole_number(text, description), show=str)

    def data(self) -> Mnist:
        """The MNIST arrays given to the owner, or the real ones, loaded once."""
        if self._data is None:
            from nnteach.data import load_mnist

            self._data = load_mnist()
        return self._data

    # -- state ------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return bool(self.owner.state in BUSY)

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested

    def _set(self, state: str) -> None:
        self.owner.set_trait("state", state)

    def _on_state(self, _change: Any = None) -> None:
        state = self.owner.state
        busy = state in BUSY
        with hold(self.start_button, self.stop_button, self.state_label, *self.controls):
            self.start_button.disabled = busy
            self.stop_button.disabled = state not in ("loading", "training")
            for control in self.controls:
                control.disabled = busy
            self.state_label.value = f"<span class='nnteach-note'>State: <b>{state}</b></span>"

    def show_progress(self, text: str, done: int | None = None, total: int | None = None) -> None:
        """Show one line of progress (plain text) and, with numbers, the bar; the owner's ``progress`` follows."""
        with hold(self.progress_bar, self.progress_label):
            if total is not None:
                self.progress_bar.max = max(total, 1)
            if done is not None:
                self.progress_bar.value = min(max(done, 0), self.progress_bar.max)
            self.progress_label.value = f"<span class='nnteach-note'>{html.escape(text)}</span>"
        if owner_has_progress(self.owner):
            self.owner.set_trait("progress", text)

    def seconds_left(self, done: int, total: int) -> float | None:
        """Time left from the speed after a warm-up (None for the first batches)."""
        if self._eta.total != total:
            self._eta = TimeLeft(total)
        return self._eta.update(done, time.perf_counter())

    # -- start and stop ---------------------------------------------------------------------------
    def start(self) -> asyncio.Task[None] | None:
        """Start the work: a task on the running event loop (Jupyter), or to the end without one.

        While work is under way this returns the running task: there is never a second run.
        """
        if self.busy or not self.available:
            return self.task
        self.job = None
        self._stop_requested = False
        self._eta = TimeLeft(0)
        self._set("loading")
        self.show_progress(self.loading_text, 0, 1)
        work = self._work()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(work)
            return None
        self.task = loop.create_task(work)
        return self.task

    def stop(self) -> None:
        """Stop before the next batch (what was learnt is kept); nothing happens when idle."""
        if self.owner.state not in ("loading", "training"):
            return
        self._stop_requested = True
        if self.job is not None:
            self.job.stop()
        self._set("stopping")

    def _failed(self) -> None:
        self._set("error")

    def _close_parts(self) -> None:
        """Close the parts this made, shown by the owner or not (with their layouts and styles)."""
        parts = (self.start_button, self.stop_button, self.state_label, self.progress_bar, self.progress_label)
        for part in (*parts, self.limits_note, *self.controls):
            if part.comm is not None:
                close_with_parts(part)

    def _cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()

    async def _work(self) -> None:
        try:
            await self._prepare_train_finish()
        finally:
            release_if_hosted()  # training and evaluating leave ~70 MB of freed heap: give it back on a class server

    async def _prepare_train_finish(self) -> None:
        errors = self.owner.errors
        failed = self._failed
        await asyncio.sleep(0)  # "Loading Keras…" reaches the page before the import blocks the kernel
        job = None
        with errors.guard(_("Training could not start."), on_error=failed):
            job = self.prepare()
        if job is None:
            return
        self.job = job
        if self._stop_requested:
            job.stop()
        else:
            self._set("training")
        trained = False
        with errors.guard(_("Training stopped because of an error."), on_error=failed):
            for _step in job.steps():
                for _turn in range(YIELDS):  # the kernel handles clicks (Stop) between two batches
                    await asyncio.sleep(0)
            trained = True
        if not trained:
            return
        stopped = self._stop_requested
        if self.finish is not None:
            self._set("evaluating")
            self.show_progress(self.finish_text)
            await asyncio.sleep(0)  # the sentence reaches the page before the evaluation blocks
            finished = False
            with errors.guard(_("The results could not be computed."), on_error=failed):
                self.finish(job, stopped)
                finished = True
            if not finished:
                return
        self._set("stopped" if stopped else "done")
