"""The worker process of :mod:`ingest.bounded`: ``python -m ingest.worker``.

It imports the readers, then waits on standard input for one request (a
length-prefixed pickle of ``(memory_bytes, func, args)`` from
:func:`ingest.bounded.run_bounded`, never from a user), caps its own address
space, runs ``func(*args)``, writes one length-prefixed pickled reply
``(status, payload, extra)`` to standard output and exits.  End of input
before a request (the parent exited) ends it quietly.
"""

from __future__ import annotations

import os
import pickle
import resource
import struct
import sys
from typing import Any

import ingest.coverage  # noqa: F401  (imported before the request: the spare waits ready)
import ingest.sites  # noqa: F401
import ingest.xlsx  # noqa: F401
from core.errors import PetaCakupanError


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _peak() -> int | None:
    """This process's peak resident memory (VmHWM), in bytes."""
    try:
        with open("/proc/self/status") as status:
            line = next(line for line in status if line.startswith("VmHWM:"))
        return int(line.split()[1]) * 1024
    except (OSError, StopIteration, ValueError):
        return None


def _cap_memory(extra: int) -> None:
    """Limit the address space to what the worker uses now plus ``extra`` bytes."""
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + extra
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass  # no /proc or no rlimits: the time limit still holds


def _run(memory: int, func: Any, args: tuple[Any, ...]) -> tuple[str, Any, Any]:
    _cap_memory(memory)
    try:
        result = func(*args)
        return "ok", result, {"peak_bytes": _peak()}
    except PetaCakupanError as exc:
        return "error", exc, {k: v for k, v in vars(exc).items() if k not in ("key", "params")}
    except MemoryError:
        return "memory", None, None
    except Exception as exc:  # a bug or a library's own error type: reported by name, never as a traceback
        return "failed", type(exc).__name__, None


def main() -> None:
    """Serve one request from standard input."""
    stdin = sys.stdin.buffer
    stdout = os.fdopen(os.dup(1), "wb")  # the reply channel; anything a library prints goes to stderr
    os.dup2(2, 1)
    size = stdin.read(8)
    if len(size) < 8:
        return
    memory, func, args = pickle.loads(stdin.read(struct.unpack("<Q", size)[0]))
    reply = _run(memory, func, args)
    try:
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None, None))
    stdout.write(struct.pack("<Q", len(data)) + data)
    stdout.flush()


if __name__ == "__main__":
    main()
