"""Run a parse in its own process, with a memory and a time limit, that can be stopped.

One user's hostile workbook must never be felt by the other sessions of the
app: :func:`run_bounded` runs the parse in a worker process
(``python -m ingest.worker``; one spare is kept started, with the readers
imported, so a call costs the transfer, not a new interpreter), caps the
worker's address space, waits in short polls (so a Streamlit rerun or stop
interrupts the wait) and kills the worker on a timeout, a stop or any exit
of the caller.  Each worker serves one parse and exits, so nothing of one
file stays in memory for the next.

A worker is a fresh interpreter, not a fork: forking the multi-threaded
Streamlit server is unsafe, and multiprocessing's forkserver re-runs the
Streamlit script (Streamlit makes it ``__main__``) in every child.

Limits: ``PETA_PARSE_TIMEOUT_S`` (default :data:`TIMEOUT_S`) and
``PETA_PARSE_MEMORY_MB`` (default :data:`MEMORY_BYTES`, on top of what the
worker starts with).
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from core.errors import InputFileError

#: Seconds one parse may take.
TIMEOUT_S = 120.0
#: Bytes of address space one parse may add to what its worker starts with.
MEMORY_BYTES = 1536 * 1024 * 1024
_POLL_S = 0.05
_ROOT = Path(__file__).resolve().parents[1]

T = TypeVar("T")
_spare: subprocess.Popen[bytes] | None = None
#: Peak resident memory (bytes) of the worker of the last successful parse, for benchmarks.
last_peak_bytes: int | None = None
_lock = threading.Lock()


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def timeout_s() -> float:
    """The time limit of one parse: ``PETA_PARSE_TIMEOUT_S`` or :data:`TIMEOUT_S`."""
    return _setting("PETA_PARSE_TIMEOUT_S", TIMEOUT_S)


def memory_bytes() -> int:
    """The memory limit of one parse: ``PETA_PARSE_MEMORY_MB`` or :data:`MEMORY_BYTES`."""
    return int(_setting("PETA_PARSE_MEMORY_MB", MEMORY_BYTES / 1024 / 1024) * 1024 * 1024)


def _start_worker() -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "ingest.worker"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, cwd=_ROOT, env=env)


def _take_worker() -> subprocess.Popen[bytes]:
    """A started worker (the spare when it is alive), leaving a new spare starting for the next call."""
    global _spare
    with _lock:
        worker = _spare if _spare is not None and _spare.poll() is None else _start_worker()
        _spare = _start_worker()
    return worker


@atexit.register
def _stop_spare() -> None:
    if _spare is not None and _spare.poll() is None:
        _spare.kill()
        _spare.wait()


def _read_reply(worker: subprocess.Popen[bytes], name: str, limit_s: float) -> tuple[str, Any, Any]:
    assert worker.stdout is not None
    deadline = time.monotonic() + limit_s
    fd = worker.stdout.fileno()
    while not select.select([fd], [], [], _POLL_S)[0]:  # short polls: a stop of the caller lands between them
        if time.monotonic() > deadline:
            raise InputFileError("reader.took_too_long", file=name, seconds=f"{limit_s:g}")
    size = worker.stdout.read(8)
    if len(size) < 8:  # the worker died: killed by the kernel or an abort in native code
        return "memory", None, None
    return pickle.loads(worker.stdout.read(struct.unpack("<Q", size)[0]))


def run_bounded(name: str, func: Callable[..., T], *args: Any, timeout: float | None = None,
                memory: int | None = None) -> T:
    """Return ``func(*args)`` computed in a child process with limits.

    Parameters
    ----------
    name : str
        The file being read, for messages.
    func : callable
        A module-level function (it is pickled by reference, so the worker
        imports its module); its arguments and result must pickle.
    timeout : float, optional
        Seconds; default :func:`timeout_s`.
    memory : int, optional
        Bytes the child may add to its address space; default :func:`memory_bytes`.

    Raises
    ------
    InputFileError
        ``reader.took_too_long`` or ``reader.out_of_memory`` when a limit is
        hit, ``reader.workbook_unreadable`` when the parse fails unexpectedly;
        a :class:`~core.errors.PetaCakupanError` raised by ``func`` is raised
        again here, with its attributes.
    """
    limit_s = timeout_s() if timeout is None else timeout
    limit_bytes = memory_bytes() if memory is None else memory
    worker = _take_worker()
    assert worker.stdin is not None
    try:
        request = pickle.dumps((limit_bytes, func, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            worker.stdin.write(struct.pack("<Q", len(request)) + request)
            worker.stdin.close()
            status, payload, extra = _read_reply(worker, name, limit_s)
        except BrokenPipeError:
            status, payload, extra = "memory", None, None
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        if worker.stdout is not None:
            worker.stdout.close()
    if status == "ok":
        global last_peak_bytes
        last_peak_bytes = (extra or {}).get("peak_bytes")
        return payload
    if status == "error":
        for key, value in (extra or {}).items():
            setattr(payload, key, value)
        raise payload
    if status == "memory":
        raise InputFileError("reader.out_of_memory", file=name,
                             limit=f"{limit_bytes / 1024 / 1024:,.0f} MB".replace(",", "."))
    raise InputFileError("reader.workbook_unreadable", file=name, error=payload)
