"""LongWork, the Start/Stop part of TrainingMonitor and RunComparison, driven with a job of plain steps."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import traitlets

from nnteach.widgets._base import NNTeachWidget
from nnteach.widgets._long_work import STATES, LongWork, Steps, progress_trait, state_trait


class Worker(NNTeachWidget):
    """A widget with long work: ``n`` steps, then a finish that records how it ended."""

    state = state_trait()
    progress = progress_trait()
    epochs = traitlets.Int(2, help="A setting with a number box, capped as TrainingMonitor's epochs are.")

    def __init__(self, n: int = 10, *, fail: str = "", data: Any = None) -> None:
        super().__init__()
        self.n, self.fail = n, fail
        self.jobs: list[Steps] = []
        self.finished: list[bool] = []
        self.trail: list[tuple[str, str]] = []
        self.work = LongWork(self, prepare=self._prepare, finish=self._finish, css="nnteach-worker", data=data)
        self.compose(self.work.start_button, self.work.stop_button, self.work.state_label, self.work.progress_label)
        self.observe(lambda _change: self.trail.append((self.state, self.progress)), names=["state", "progress"])

    @traitlets.validate("epochs")
    def _cap_epochs(self, proposal: Any) -> int:
        return self.work.capped("epochs", int(proposal["value"]))

    def _prepare(self) -> Steps:
        if self.fail == "prepare":
            raise ValueError("Expected a compiled model. Received a model that was never compiled. Compile it first.")
        job = Steps(self.n)
        self.jobs.append(job)
        return job

    def _finish(self, job: Any, stopped: bool) -> None:
        assert job is self.jobs[-1], "finish gets the job prepare made"
        self.finished.append(stopped)

    @property
    def states(self) -> list[str]:
        seen: list[str] = []
        for state, _ in self.trail:
            if not seen or seen[-1] != state:
                seen.append(state)
        return seen


class Failing(Steps):
    def steps(self) -> Iterator[None]:
        yield
        raise ValueError("The loss became nan in epoch 1, batch 2: the learning rate is probably too high.")


def _from_browser(widget: Any, data: dict[str, Any]) -> None:
    widget.comm.handle_msg({"content": {"data": data}, "buffers": []})


def test_state_is_an_enum_the_browser_cannot_write() -> None:
    worker = Worker()
    trait = worker.traits()["state"]
    assert isinstance(trait, traitlets.Enum) and tuple(trait.values) == STATES
    assert trait.read_only and trait.metadata.get("sync") and trait.help
    _from_browser(
        worker, {"method": "update", "state": {"state": "training", "progress": "hacked"}, "buffer_paths": []}
    )
    assert (worker.state, worker.progress) == ("idle", "")
    worker.close()


def test_without_an_event_loop_the_work_runs_to_the_end() -> None:
    worker = Worker(n=4)
    assert worker.work.start() is None
    assert worker.states == ["loading", "training", "evaluating", "done"]
    assert ("loading", "Loading Keras…") in worker.trail and ("evaluating", "Measuring test accuracy…") in worker.trail
    assert worker.jobs[0].done == 4 and worker.finished == [False]
    assert not worker.work.start_button.disabled and worker.work.stop_button.disabled
    assert "State: <b>done</b>" in worker.work.state_label.value
    worker.close()


def test_stop_is_handled_before_the_next_step_and_a_second_start_returns_the_running_task() -> None:
    async def scenario() -> Worker:
        worker = Worker(n=1000)
        task = worker.work.start()
        assert task is not None
        assert worker.work.start_button.disabled, "disabled at once, before prepare runs"
        while not worker.jobs or worker.jobs[0].done < 3:
            await asyncio.sleep(0)
        assert worker.state == "training"
        _from_browser(worker, {"method": "update", "state": {"state": "idle"}, "buffer_paths": []})
        _from_browser(worker.work.start_button, {"method": "custom", "content": {"event": "click"}})
        assert worker.work.start() is task and len(worker.jobs) == 1, "never a second run"
        worker.work.stop_button.click()
        assert worker.state == "stopping" and worker.work.stop_button.disabled
        await task
        return worker

    worker = asyncio.run(scenario())
    assert worker.jobs[0].done == 3, "no step after Stop"
    assert worker.states[-3:] == ["stopping", "evaluating", "stopped"]
    assert worker.finished == [True]
    worker.close()


def test_stop_while_loading_trains_nothing() -> None:
    async def scenario() -> Worker:
        worker = Worker(n=5)
        task = worker.work.start()
        worker.work.stop()  # pressed before Keras finished loading
        assert task is not None
        await task
        return worker

    worker = asyncio.run(scenario())
    assert worker.jobs[0].done == 0
    assert worker.state == "stopped" and worker.finished == [True]
    worker.close()


def test_errors_are_one_sentence_and_leave_start_usable() -> None:
    worker = Worker(fail="prepare")
    worker.work.start_button.click()
    assert worker.state == "error"
    assert worker.errors.message.startswith("Expected a compiled model")
    assert not worker.work.start_button.disabled
    worker.work.prepare = lambda: Failing(3)
    worker.work.start()
    assert worker.state == "error" and "learning rate is probably too high" in worker.errors.message
    assert worker.finished == []
    worker.work.stop()  # Stop when nothing runs: nothing happens
    assert worker.state == "error"
    worker.close()


def test_an_unavailable_start_does_nothing() -> None:
    worker = Worker()
    worker.work.available = False
    worker.work.start_button.click()
    assert worker.state == "idle" and worker.jobs == []
    worker.close()


def test_closing_cancels_running_work() -> None:
    async def scenario() -> tuple[Worker, asyncio.Task[None]]:
        worker = Worker(n=10_000)
        task = worker.work.start()
        assert task is not None
        while not worker.jobs or worker.jobs[0].done < 2:
            await asyncio.sleep(0)
        worker.close()
        with pytest.raises(asyncio.CancelledError):
            await task
        return worker, task

    worker, task = asyncio.run(scenario())
    assert task.cancelled() and worker.jobs[0].done < 10_000
    assert worker.work.start_button.comm is None


def test_hosted_caps_bound_the_boxes_and_clamp_with_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    monkeypatch.setenv("NNTEACH_MAX_EPOCHS", "3")
    worker = Worker()
    box = worker.work.number_box("epochs", "Epochs", "nnteach-worker-epochs")
    # The box takes what the learner types (a browser would clamp silently); the kernel caps it with a sentence.
    assert box.value == "2" and "at most 3 epochs" in worker.work.limits_note.value
    assert worker.work.capped("epochs", 2) == 2 and worker.errors.message == ""
    box.set_state({"value": "50"})
    assert worker.epochs == 3 and box.value == "3"
    assert worker.errors.message.startswith("The class server caps epochs at 3. Received: epochs=50.")
    worker.work.start()
    assert box.disabled is False and worker.state == "done"
    worker.close()
    assert box.comm is None, "the boxes LongWork made close with the owner"


def test_data_is_loaded_once_or_taken_as_given() -> None:
    given = (("x", "y"), ("x_test", "y_test"))
    worker = Worker(data=given)
    assert worker.work.data() is given
    worker.close()


def test_a_click_that_takes_several_loop_turns_to_arrive_stops_within_the_step_under_way() -> None:
    """In ipykernel 7 a click reaches its handler only after a few event-loop turns (issue 16 item 7)."""

    async def scenario() -> tuple[Worker, int]:
        worker = Worker(n=1000)
        task = worker.work.start()
        assert task is not None
        while not worker.jobs or worker.jobs[0].done < 3:
            await asyncio.sleep(0)
        loop = asyncio.get_running_loop()
        arrived = worker.jobs[0].done

        def hand_over(turns: int) -> None:  # the message moving from the shell thread to its handler
            if turns == 0:
                worker.work.stop_button.click()
            else:
                loop.call_soon(hand_over, turns - 1)

        hand_over(4)
        await task
        return worker, arrived

    worker, arrived = asyncio.run(scenario())
    assert worker.jobs[0].done <= arrived + 1, (arrived, worker.jobs[0].done)
    worker.close()


@pytest.mark.parametrize("fail", ["", "prepare"], ids=["finished", "failed"])
def test_on_a_class_server_finished_or_failed_work_gives_its_memory_back(
    monkeypatch: pytest.MonkeyPatch, fail: str
) -> None:
    from nnteach import memory

    released: list[str] = []
    monkeypatch.setattr(memory, "release_free_memory", lambda: released.append(fail) or True)
    monkeypatch.setenv("NNTEACH_HOSTED", "1")
    worker = Worker(n=3, fail=fail)
    worker.work.start()
    assert worker.state == ("error" if fail else "done")
    assert released == [fail]
    monkeypatch.delenv("NNTEACH_HOSTED")
    worker.work.start()
    assert released == [fail], "outside a class server nothing is released"
    worker.close()
