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
    """Stops a training run or sweep cooperatively.

    Raise it from an ``on_progress`` callback (or return ``False`` from it, which makes the loop raise
    it). Before it leaves ``run()`` or ``run_sweep()`` the loop fills in ``step`` (the last completed
    optimisation step) and ``histories`` (the evaluations done so far, one list per model: one for a
    run, one per seed for a sweep).
    """

    def __init__(
        self,
        message: str = "run cancelled",
        *,
        step: int | None = None,
        histories: list[list[dict[str, Any]]] | None = None,
    ) -> None:
        super().__init__(message)
        self.step = step
        self.histories: list[list[dict[str, Any]]] = [] if histories is None else histories

    @property
    def history(self) -> list[dict[str, Any]]:
        """The single model's evaluations so far (``run()``); empty when several models were trained."""
        return self.histories[0] if len(self.histories) == 1 else []
