"""The ``orientation`` command: the GUI by default, headless sub-commands for everything else.

This is the composition root: a thin parser (:mod:`desktop.cli.parser`) over the Qt-free
operations of ``db``, ``reports`` and :mod:`desktop.operations`, one module per group of
commands. It holds no business rule. Qt is imported only when the GUI is asked for, so every
sub-command works on a machine without a screen. Errors print one French line on stderr and
exit non-zero; a bug is logged with its traceback to the log file and shown as a short French
message.
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from db.errors import UserError, user_message
from desktop.cli.logs import log_file, setup_logging

log = logging.getLogger("orientation")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``orientation`` command. Returns the process exit status."""
    if getattr(sys, "frozen", False):  # the bundle's executable is also its child processes' (no Python -m)
        status = _bundle_child()
        if status is not None:
            return status
    args = _plain_window_start(sys.argv[1:] if argv is None else list(argv))
    if args is None:
        from desktop.cli.parser import build_parser

        args = build_parser().parse_args(argv)
    setup_logging()
    handler = _COMMANDS.get(args.command or "", _run_gui)
    try:
        status = handler(args)
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (``orientation export | head -1``): not an error of ours.
        _silence_stdout()
        return 0
    except Exception as exc:
        message = user_message(exc)
        if message is not None:  # expected: a bad input, the environment (full disk, busy database)
            print(f"Erreur : {message}", file=sys.stderr)
            return 2
        # A bug: keep the traceback for us, show the user one French line.
        log.exception("unexpected error in command %s", args.command)
        print(f"Erreur inattendue : le détail est dans le journal {log_file()}", file=sys.stderr)
        return 1
    finally:
        # Databases a command opened are closed (the window closes its own). Looked up, not
        # imported: the quick students list loads no SQLAlchemy, and must not load it here.
        common = sys.modules.get("desktop.cli.common")
        if args.command and common is not None:
            common.close_opened()


def _plain_window_start(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of the ordinary start of the window (no argument, or ``--db`` and one value),
    read without building the whole grammar (~15 ms of the start-up: issue 20); None for any
    other command line, which the full parser reads (and explains when it is wrong)."""
    if not argv:
        return argparse.Namespace(command=None)
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return argparse.Namespace(command=None, db=argv[1])
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return argparse.Namespace(command=None, db=argv[0].removeprefix("--db="))
    return None


def _bundle_child() -> int | None:
    """In the bundle: run the child process the environment asks for, if any; its exit status."""
    import os

    from db.storage.integrity import CHILD_ENV, child_main

    if os.environ.get(CHILD_ENV):
        return child_main(os.environ[CHILD_ENV])  # the background integrity check
    from db.catalogue import import_process

    if os.environ.get(import_process.CHILD_ENV):
        return import_process.child_main()  # the window's import, in a process of its own
    return None


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _run_gui(args: argparse.Namespace) -> int:
    import gc
    import os

    # No garbage collection while the window is built: start-up makes many objects and frees
    # few, so collections there only cost time. desktop.app re-enables it once all is loaded.
    gc.disable()

    # Without a screen Qt aborts with an English message; say it in French instead.
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        raise UserError("aucun écran n'est disponible pour ouvrir la fenêtre (variable DISPLAY absente) ; "
                        "les commandes comme « orientation search » fonctionnent sans écran")
    from desktop.qt_start import faster_feature_check

    faster_feature_check()  # before the window's modules (and SQLAlchemy's) are imported
    from desktop.app import run

    return run(getattr(args, "db", None))


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A command handler imported only when that command runs (start-up stays light)."""
    def handler(args: argparse.Namespace) -> int:
        from importlib import import_module

        return int(getattr(import_module(f"desktop.cli.{module}"), name)(args))
    return handler


def _students(args: argparse.Namespace) -> int:
    """``students …``; ``students list`` first tries its quick path, which loads no SQLAlchemy."""
    if args.student_command == "list":
        from desktop.cli.student_list import list_quickly

        status = list_quickly(args)
        if status is not None:
            return status
    return _lazy("students", "run")(args)


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _lazy("catalogue", "cmd_import"), "search": _lazy("catalogue", "cmd_search"),
    "export": _lazy("catalogue", "cmd_export"), "suggest": _lazy("students", "cmd_suggest"),
    "students": _students, "report": _lazy("bilans", "run"),
    "stats": _lazy("year", "cmd_stats"), "annee": _lazy("year", "cmd_year_change"),
    "settings": _lazy("maintenance", "cmd_settings"), "backup": _lazy("maintenance", "cmd_backup"),
    "restore": _lazy("maintenance", "cmd_restore"), "selftest": _lazy("maintenance", "cmd_selftest"),
    "parcours": _lazy("formations", "cmd_parcours"), "formations": _lazy("formations", "run"),
    "serveur": _lazy("server", "run"),
    "transfert": _lazy("transfer", "cmd_transfer"),
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
