"""pyproject.toml lists every package, and the wheel carries resources/."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def _config():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_is_listed():
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "desktop_app").rglob("__init__.py")
    }
    listed = set(_config()["packages"])
    assert found - listed == set(), "add the new package to [tool.setuptools] packages"
    assert listed - found == {"desktop_app.resources"}


def test_resources_are_package_data():
    config = _config()
    assert config["package-dir"]["desktop_app.resources"] == "resources"
    patterns = config["package-data"]["desktop_app.resources"]
    shipped = {p.relative_to(ROOT / "resources").as_posix()
               for p in (ROOT / "resources").rglob("*") if p.is_file()}
    import fnmatch

    missing = {f for f in shipped if not any(fnmatch.fnmatch(f, pat) for pat in patterns)}
    assert missing == set(), f"resources not installed by a wheel: {sorted(missing)}"
    assert any(f.startswith("templates/") for f in shipped)
