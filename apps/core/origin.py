"""Where the code running now was started, when it is not a web request: a background job (a
Celery task) or a management command. The audit log says which wrote an entry that has no
client address ("Background job" / "Management command (seed_demo)").

Set by the project's Celery task class (``merchant_portal/celery.py``) around every task and by
``PortalCommand`` (``apps/core/management/base.py``) around every command of the portal's own.
Pure Python: no Django, no Celery.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

TASK = "task"
COMMAND = "command"

run_origin: ContextVar[str] = ContextVar("run_origin", default="")


@contextmanager
def running_as(kind: str, name: str) -> Iterator[None]:
    """Mark what runs inside as started by the ``kind`` (``TASK`` or ``COMMAND``) ``name``.

    A command inside another command is itself (``dev`` running ``seed_demo``: seed_demo). A
    task run in-process by a command (eagerly) stays the command's work.
    """
    outer = run_origin.get()
    if kind == TASK and outer.startswith(f"{COMMAND}:"):
        yield
        return
    token = run_origin.set(f"{kind}:{name}")
    try:
        yield
    finally:
        run_origin.reset(token)


def origin_parts(origin: str) -> tuple[str, str]:
    """``"command:seed_demo"`` → ``("command", "seed_demo")``; ``""`` → ``("", "")``."""
    kind, _, name = origin.partition(":")
    return kind, name
