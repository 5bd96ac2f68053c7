"""odoorm errors in IPython and Jupyter: the message and your code, not odoorm's insides.

When IPython is running, ``import odoorm`` registers (once) a handler for
:class:`odoorm.OdoormError` with the shell's ``set_custom_exc``; ``%load_ext
odoorm`` does the same explicitly (and ``odoorm shell`` loads it). An odoorm
error then shows the traceback of *your* frames, down to the line that called
into odoorm, and the error's message; the frames inside odoorm (and the
library frames below them: requests, the emulator) and the chained cause are
left out. Nothing is lost: ``%tb`` prints the full traceback, ``%debug`` opens
the debugger on it (``sys.last_traceback`` holds it), and ``%pdb`` still stops.

The handler stays out of the way of other tools: when the shell already has a
custom exception handler that is not odoorm's, nothing is registered.
:func:`unregister` (``%unload_ext odoorm`` after ``%load_ext``) restores
IPython's full tracebacks.

Nothing here imports IPython: the shell is handed in, or found through an
``IPython`` module that is already imported.
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

from odoorm.exceptions import OdoormError

__all__ = ["is_registered", "register", "register_if_running", "unregister", "user_traceback"]

#: odoorm's own source folder: frames from here on are odoorm's insides
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

HINT = "(odoorm's internal frames are hidden: %tb shows the full traceback)"


def _running_shell() -> Any:
    """The running IPython shell, or None (IPython not imported, or not running)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


def _internal(tb: types.TracebackType) -> bool:
    return os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(_PACKAGE_DIR)


def user_traceback(tb: types.TracebackType | None) -> types.TracebackType | None:
    """``tb`` cut at its first frame inside odoorm: the caller's frames only."""
    kept: list[types.TracebackType] = []
    while tb is not None and not _internal(tb):
        kept.append(tb)
        tb = tb.tb_next
    short: types.TracebackType | None = None
    for t in reversed(kept):
        short = types.TracebackType(short, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return short


def _show(
    shell: Any,
    etype: type[BaseException],
    value: BaseException,
    tb: types.TracebackType | None,
    tb_offset: int | None = None,
) -> None:
    """The custom exception handler (bound to the shell by ``set_custom_exc``)."""
    # what %tb, %debug and pdb read: the FULL traceback
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
    if sys.version_info >= (3, 12):
        sys.last_exc = value
    formatter = shell.InteractiveTB
    short = user_traceback(tb)
    cause, suppress = value.__cause__, value.__suppress_context__
    value.__cause__, value.__suppress_context__ = None, True  # the cause is odoorm's business
    try:
        if short is None:
            stb = list(formatter.get_exception_only(etype, value))
        else:
            stb = list(formatter.structured_traceback(etype, value, short, tb_offset=tb_offset))
    finally:
        value.__cause__, value.__suppress_context__ = cause, suppress
    stb.append(HINT)
    shell._showtraceback(etype, value, stb)
    if getattr(shell, "call_pdb", False):
        shell.debugger(force=True)


def _handler_of(shell: Any) -> Any:
    handler = getattr(shell, "CustomTB", None)
    return getattr(handler, "__func__", None)


def is_registered(shell: Any = None) -> bool:
    """True when odoorm's handler is the shell's (the running one by default)."""
    shell = shell if shell is not None else _running_shell()
    if shell is None:
        return False
    handler = _handler_of(shell)
    return bool(getattr(handler, "_odoorm", False)) and OdoormError in shell.custom_exceptions


def register(shell: Any = None) -> bool:
    """Show odoorm errors briefly in ``shell`` (the running IPython by default).

    Returns False, registering nothing, when there is no shell or the shell
    already has another custom exception handler.
    """
    shell = shell if shell is not None else _running_shell()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if is_registered(shell):
        return True
    if tuple(getattr(shell, "custom_exceptions", ())):
        return False  # somebody else's handler: leave it alone
    shell.set_custom_exc((OdoormError,), _show)
    # IPython wraps the handler; mark the wrapper so is_registered() can tell
    _handler_of(shell)._odoorm = True
    return True


def unregister(shell: Any = None) -> None:
    """Restore IPython's own tracebacks for odoorm errors."""
    shell = shell if shell is not None else _running_shell()
    if shell is not None and is_registered(shell):
        shell.set_custom_exc((), None)


def register_if_running() -> bool:
    """What ``import odoorm`` does: register when IPython is running, else nothing.

    Never raises: a failure here must not break the import.
    """
    try:
        return register()
    except Exception:  # pragma: no cover - an unexpected IPython; keep its tracebacks
        return False
