"""Child Python processes of the application (the background integrity check, the window's import)."""
from __future__ import annotations

import sys
from pathlib import Path


def python_child(call: str) -> list[str]:
    """The command that runs ``call`` (Python statements naming the application's modules) in a new
    interpreter finding this application's packages first. Not ``python -m``: that puts the
    working folder first, where a folder named "db" would be imported instead. In the bundle, its
    own executable, alone: the entry point runs the child its environment asks for."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    root = str(Path(__file__).resolve().parents[2])
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {root!r}); {call}"]
