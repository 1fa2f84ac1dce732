"""scripts/setup.sh (run by scripts/run.sh at every start) installs the Python modules once per
version of pyproject.toml: later starts make no network call, and a changed pyproject.toml is
installed again, saying so. Played in a copy of the project with a recording stand-in for pip."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FAKE_PYTHON = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../../calls.log"
"""
FAKE_DPKG = """#!/bin/sh
printf 'install ok installed'
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of scripts/setup.sh and pyproject.toml, a .venv whose python records its calls, and
    system packages reported as installed (the test never reaches apt-get)."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for path, text in ((tmp_path / ".venv" / "bin" / "python", FAKE_PYTHON),
                       (tmp_path / "fakebin" / "dpkg-query", FAKE_DPKG)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)
    return tmp_path


def setup(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{project / 'fakebin'}:{os.environ['PATH']}", "PYTHON": sys.executable}
    return subprocess.run(["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True,
                          check=False)


def pip_calls(project: Path) -> list[str]:
    log = project / "calls.log"
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [call for call in calls if "pip install" in call]


def test_modules_are_installed_once_then_again_only_when_pyproject_changes(project):
    first = setup(project)
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(pip_calls(project)) == 1
    again = setup(project)  # every later start: no pip, so no network
    assert again.returncode == 0 and len(pip_calls(project)) == 1
    assert again.stdout == ""
    with (project / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write("\n# une dépendance de plus\n")
    changed = setup(project)
    assert changed.returncode == 0 and len(pip_calls(project)) == 2
    assert "pyproject.toml a changé" in changed.stdout
