"""Fontconfig's caches are read in a thread beside the start-up (Linux): once,
never failing the start, and finished before the QApplication is made."""

from __future__ import annotations

import sys
import threading

import pytest

from desktop_app import font_preload


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(font_preload, "_thread", None)
    return font_preload


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig is Linux's")
def test_started_once_and_waited_for(fresh):
    assert fresh.start() is True
    assert fresh.start() is False  # once per process
    thread = fresh._thread
    assert thread is not None and thread.name == "fontconfig-preload" and thread.daemon
    fresh.wait()
    assert not thread.is_alive()


def test_a_missing_library_is_no_failure(fresh, monkeypatch):
    monkeypatch.setattr(fresh, "LIBRARY", "libdoes-not-exist-here.so.7")
    monkeypatch.setattr(fresh.sys, "platform", "linux")
    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    assert fresh.start() is True
    fresh.wait()
    assert errors == []


def test_nothing_is_started_off_linux(fresh, monkeypatch):
    monkeypatch.setattr(fresh.sys, "platform", "win32")
    assert fresh.start() is False
    fresh.wait()  # (nothing to wait for)
    assert fresh._thread is None


def test_the_application_is_made_after_the_preload_finished(fresh, monkeypatch):
    """ensure_application waits for the preload before Qt starts fontconfig."""
    from desktop_app.ui import app as gui

    order = []
    monkeypatch.setattr(fresh, "wait", lambda: order.append("waited"))

    class FakeApplication:
        @staticmethod
        def instance():
            return None

        def __init__(self, argv):
            order.append("made")

    monkeypatch.setattr(gui, "QApplication", FakeApplication)
    monkeypatch.setattr(gui, "configure_application", lambda *a, **k: None)
    gui.ensure_application(icon=False)
    assert order == ["waited", "made"]
