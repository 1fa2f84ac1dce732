"""The command line's messages a counselor reads: an unknown student number, a duplicate student,
a missing file, and the README's search examples, which must find métiers in the starter catalogue."""
from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import run_cli as run
from tests.conftest import ROOT


def readme_searches() -> list[list[str]]:
    """The ``orientation search …`` lines of the README, as argument lists (comments dropped)."""
    lines = re.findall(r"^orientation (search .*)$", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)
    return [shlex.split(line, comments=True) for line in lines]


def test_the_readme_has_a_search_combining_text_sector_and_interest():
    assert any({"--texte", "--secteur", "--interet"} <= set(argv) for argv in readme_searches())


@pytest.mark.parametrize("argv", readme_searches(), ids=lambda argv: " ".join(argv[1:3]))
def test_every_readme_search_finds_metiers(starter_file, capsys, argv):
    status, out, err = run(capsys, *argv, "--db", starter_file)
    assert status == 0, err
    if "--format" in argv:
        assert out.strip() not in ("", "[]")
    else:
        found = int(re.search(r"^(\d+) métier\(s\)$", out, re.M).group(1))
        assert found >= 1, out


@pytest.mark.parametrize("command", ["report", "suggest"])
def test_an_unknown_student_number_is_named(starter_file, capsys, tmp_path, command):
    extra = ["--out", str(tmp_path / "bilan.pdf")] if command == "report" else []
    status, _out, err = run(capsys, command, "999", *extra, "--db", starter_file)
    assert status != 0 and "aucun élève n'a le numéro 999" in err and "entretien" not in err
    assert not (tmp_path / "bilan.pdf").exists()


def test_adding_the_same_student_twice_is_refused_without_the_option(starter_file, capsys):
    base = ["students", "add", "--nom", "Durand", "--prenom", "Léa", "--classe", "4e A", "--db", starter_file]
    assert run(capsys, *base)[0] == 0
    status, _out, err = run(capsys, *base)
    assert status != 0 and "Léa Durand (4e A) existe déjà" in err and "--meme-si-existe" in err
    _, listed, _ = run(capsys, "students", "list", "--texte", "Durand", "--db", starter_file)
    assert "1 élève(s)" in listed  # nothing created
    assert run(capsys, *base, "--meme-si-existe")[0] == 0
    _, listed, _ = run(capsys, "students", "list", "--texte", "Durand", "--db", starter_file)
    assert "2 élève(s)" in listed


def test_a_missing_import_file_is_one_french_sentence(starter_file, capsys, tmp_path):
    missing = tmp_path / "absent.jsonl"
    status, out, err = run(capsys, "import", str(missing), "--db", starter_file)
    assert status != 0
    assert f"le fichier « {missing} » est introuvable" in out + err
    assert "No such file" not in out + err and "Traceback" not in out + err


def test_every_option_of_every_command_says_what_it_is_for():
    # --nom, --prenom, --limite, --format and ID_ELEVE had no line in « --help ».
    import argparse

    from desktop.cli.parser import build_parser

    silent: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not action.help and action.dest != "help":
                silent.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(build_parser(), "orientation")
    assert silent == []
