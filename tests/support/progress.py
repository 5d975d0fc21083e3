"""Progress callbacks for the reference loops' tests (``on_progress(step, total, metrics)``)."""

from training.reference.errors import RunCancelled


def cancel_at(step: int, seen: list[int]):
    """A callback that records every step in ``seen`` and raises RunCancelled at ``step``, as the
    worker does when a user presses stop."""

    def on_progress(current, total, metrics):
        seen.append(current)
        if current == step:
            raise RunCancelled("user pressed stop")

    return on_progress
