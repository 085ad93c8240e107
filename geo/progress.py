"""Progress lines on the terminal for long steps (a province-wide build)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Print numbered step lines with elapsed time to a stream (stderr).

    Parameters
    ----------
    total : int
        Number of steps announced.
    stream : file-like, optional
        Where to print; ``None`` silences the reporter.
    label : str
        Prefix of every line, e.g. the region being built.
    """

    def __init__(self, total: int, stream: TextIO | None = sys.stderr, label: str = "") -> None:
        self.total = total
        self.stream = stream
        self.label = label
        self.step_no = 0
        self.started = time.perf_counter()

    def step(self, message: str) -> None:
        """Announce the next step."""
        self.step_no += 1
        self._print(f"[{self.step_no}/{self.total}] {message}")

    def detail(self, message: str) -> None:
        """Print a line inside the current step (e.g. ``file 3/27``)."""
        self._print(f"      {message}")

    def _print(self, text: str) -> None:
        if self.stream is None:
            return
        elapsed = time.perf_counter() - self.started
        prefix = f"{self.label} " if self.label else ""
        print(f"{prefix}{text} ({elapsed:.1f} s)", file=self.stream, flush=True)
