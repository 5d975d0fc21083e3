"""Exceptions shared by the torch-free and the torch side of ``training.reference``.

They live in their own module, free of torch, so that a caller (a web view, a task queue worker) can
catch them without importing torch first.
"""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """A run config is invalid. ``field`` names the offending key (dotted, e.g. ``train.lr``) if known.

    A ``ValueError`` subclass, so ``except ValueError`` keeps working; ``field`` lets a form attach the
    message to the right input.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RunCancelled(Exception):
    """Stops a training run cooperatively.

    Raise it from an ``on_progress`` callback (or return ``False`` from it, which makes the loop raise
    it). The loop fills in ``step`` (the last completed optimisation step) and ``history`` (the
    evaluations done so far) before the exception leaves ``run()``.
    """

    def __init__(self, message: str = "run cancelled", *, step: int | None = None) -> None:
        super().__init__(message)
        self.step = step
        self.history: list[dict[str, Any]] = []
