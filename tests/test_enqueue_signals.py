"""Services hand work to the workers through signals that the tasks modules receive (README, "Which way
imports run"). Every process loads the receivers (the apps' ready()), and a signal nobody receives is
an error, never runs silently left queued."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from community import tasks as community_tasks
from community.services import similar
from training import tasks as training_tasks
from training.services import dispatch


def test_the_tasks_receive_the_services_signals():
    assert similar.refresh_requested.has_listeners()
    assert dispatch.runs_ready.has_listeners()


@pytest.mark.parametrize(
    "signal, receiver, uid, send",
    [
        (
            dispatch.runs_ready,
            training_tasks.enqueue_runs,
            "training.tasks.enqueue_runs",
            lambda: dispatch.runs_enqueue(sweep=object(), run_ids=[1]),
        ),
        (
            similar.refresh_requested,
            community_tasks.enqueue_similar_papers_refresh,
            "community.tasks.enqueue_similar_papers_refresh",
            similar.similar_papers_refresh_later,
        ),
    ],
)
def test_a_signal_nobody_receives_is_an_error(signal, receiver, uid, send):
    assert signal.disconnect(dispatch_uid=uid)
    try:
        with pytest.raises(ImproperlyConfigured, match="tasks loaded"):
            send()
    finally:
        signal.connect(receiver, dispatch_uid=uid)
    assert signal.has_listeners()
