"""Import modules in a background thread while the caller's engine works."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence


def preload(modules: Sequence[str]) -> threading.Thread:
    """Start importing ``modules`` in a daemon thread and return it.

    A heavy import that a computation needs only after its pass over the data (scipy for
    the uniqueness models, say) costs nothing when it runs while the engine reads the data
    in its own threads, outside the GIL. Importing later is unchanged: Python's import
    lock makes a second import wait for this one to finish, and an import that failed here
    fails again there, with its error.

    Examples
    --------
    >>> preload(["json"]).join()
    >>> import sys; "json" in sys.modules
    True
    """

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the caller's own import reports it
                return

    thread = threading.Thread(target=load, name="accord-preload", daemon=True)
    thread.start()
    return thread
