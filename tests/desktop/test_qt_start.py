"""The cheaper PySide import check answers as PySide's own did."""
from __future__ import annotations

import sys

import db.models
import desktop.app
import desktop.workers
import json

from desktop.qt_start import faster_feature_check


def test_the_byte_search_gives_pyside_s_own_answers():
    feature = sys.modules["shibokensupport.feature"]
    original = feature._mod_uses_pyside
    expected = {m.__name__: original(m) for m in (desktop.app, desktop.workers, db.models, json, sys)}
    assert expected["desktop.app"] and not expected["db.models"]
    try:
        assert faster_feature_check()
        assert not faster_feature_check()  # installed once
        assert {m.__name__: feature._mod_uses_pyside(m)
                for m in (desktop.app, desktop.workers, db.models, json, sys)} == expected
    finally:
        feature._mod_uses_pyside = original
