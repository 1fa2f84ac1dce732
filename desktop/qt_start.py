"""Qt's import hook made cheap, before the window's modules are imported.

Once PySide6 is imported, its ``__feature__`` support looks at every module imported after it
(SQLAlchemy's ~300 included, on the background loader) to decide whether the module uses
PySide6: it asks :func:`inspect.getsource` for the whole source (a tokenizer pass for the
encoding, the line cache) and searches it for the word "PySide6". That cost ≈ 60-90 ms of CPU
between the first paint and the window being ready, all of it holding the GIL. The same
question is answered here by searching the file's bytes; modules without a ``.py`` file (the
bundle's, built-in ones) still get PySide's own answer. Nothing changes if PySide's internals
are not where this expects them.
"""
from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


def faster_feature_check() -> bool:
    """Install the cheaper check (after importing PySide6); True if it was installed."""
    import PySide6.QtCore  # noqa: F401 (installs the hook this replaces)

    feature: Any = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "from_bytes", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    uses_pyside.from_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
    return True
