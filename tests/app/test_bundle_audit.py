"""The ELF reader (desktop_app/elf.py) and the Linux bundle's audit
(scripts/build_installer.py): files needing a newer glibc than the target,
and libraries a bundled file links to that nobody provides, fail the
build.  Hand-made ELF files make each case exact; real system libraries
check the reader against readelf."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import elf

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "installer"))
import build_installer  # noqa: E402 - scripts/ and installer/ go on sys.path first


def make_elf(path: Path, needed: list[str] = (), versions: dict[str, list[str]] | None = None,
             runpath: str | None = None, soname: str | None = None) -> Path:
    """A minimal 64-bit little-endian shared object: one PT_LOAD mapping the
    whole file at address 0, a PT_DYNAMIC with DT_NEEDED, DT_SONAME,
    DT_RUNPATH, DT_STRTAB and the GNU version-needs table."""
    versions = versions or {}
    strings = b"\0"
    index: dict[str, int] = {}

    def s(text: str) -> int:
        nonlocal strings
        if text not in index:
            index[text] = len(strings)
            strings += text.encode() + b"\0"
        return index[text]

    dyn: list[tuple[int, int]] = [(elf.DT_NEEDED, s(n)) for n in needed]
    if soname:
        dyn.append((elf.DT_SONAME, s(soname)))
    if runpath:
        dyn.append((elf.DT_RUNPATH, s(runpath)))
    verneed = b""
    files = list(versions.items())
    for i, (file, names) in enumerate(files):
        size = 16 + 16 * len(names)
        verneed += struct.pack("<HHIII", 1, len(names), s(file), 16, 0 if i == len(files) - 1 else size)
        for j, name in enumerate(names):
            verneed += struct.pack("<IHHII", 0, 0, 2 + j, s(name), 0 if j == len(names) - 1 else 16)
    header_size, ph_size = 64, 56 * 2
    str_off = header_size + ph_size
    vn_off = str_off + len(strings)
    vn_off += (-vn_off) % 8
    dyn_off = vn_off + len(verneed)
    dyn_off += (-dyn_off) % 8
    dyn += [(elf.DT_STRTAB, str_off), (elf.DT_STRSZ, len(strings))]
    if verneed:
        dyn += [(elf.DT_VERNEED, vn_off), (elf.DT_VERNEEDNUM, len(files))]
    dyn.append((elf.DT_NULL, 0))
    dyn_bytes = b"".join(struct.pack("<qQ", t, v) for t, v in dyn)
    total = dyn_off + len(dyn_bytes)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    header = ident + struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, header_size, 0, 0, 64, 56, 2, 64, 0, 0)
    phdrs = struct.pack("<IIQQQQQQ", elf.PT_LOAD, 5, 0, 0, 0, total, total, 0x1000)
    phdrs += struct.pack("<IIQQQQQQ", elf.PT_DYNAMIC, 6, dyn_off, dyn_off, dyn_off, len(dyn_bytes),
                         len(dyn_bytes), 8)
    data = bytearray(total)
    data[0:64] = header
    data[64:64 + len(phdrs)] = phdrs
    data[str_off:str_off + len(strings)] = strings
    data[vn_off:vn_off + len(verneed)] = verneed
    data[dyn_off:dyn_off + len(dyn_bytes)] = dyn_bytes
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return path


# --- the reader ---------------------------------------------------------------------------


def test_reader_returns_needed_libraries_runpath_and_version_needs(tmp_path):
    so = make_elf(tmp_path / "libqxcb.so", needed=["libxcb-icccm.so.4", "libQt6Gui.so.6", "libc.so.6"],
                  versions={"libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.28", "GLIBC_2.14"],
                            "libstdc++.so.6": ["GLIBCXX_3.4.22", "CXXABI_1.3.9"]},
                  runpath="$ORIGIN/../../lib", soname="libqxcb.so")
    info = elf.read_elf(so)
    assert info.needed == ["libxcb-icccm.so.4", "libQt6Gui.so.6", "libc.so.6"]
    assert info.soname == "libqxcb.so" and info.runpath == ["$ORIGIN/../../lib"]
    assert info.version_needs == {"libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.28", "GLIBC_2.14"],
                                  "libstdc++.so.6": ["GLIBCXX_3.4.22", "CXXABI_1.3.9"]}
    assert info.max_glibc() == (2, 28)  # 2.28 > 2.14 > 2.2.5: numbers, not text
    assert info.max_version("GLIBCXX") == (3, 4, 22) and info.max_version("CXXABI") == (1, 3, 9)


def test_reader_tells_non_elf_and_damaged_files(tmp_path):
    text = tmp_path / "README.md"
    text.write_text("# not a library\n", encoding="utf-8")
    assert elf.read_elf(text) is None
    good = make_elf(tmp_path / "lib.so", needed=["libz.so.1"])
    cut = tmp_path / "cut.so"
    cut.write_bytes(good.read_bytes()[:100])
    with pytest.raises(elf.ElfError):
        elf.read_elf(cut)


def test_reader_agrees_with_readelf_on_real_libraries():
    readelf = shutil.which("readelf")
    if readelf is None or not sys.platform.startswith("linux"):
        pytest.skip("readelf (binutils) is needed for the comparison")
    import _ctypes
    import _sqlite3
    import re

    for path in (_sqlite3.__file__, _ctypes.__file__):
        out = subprocess.run([readelf, "-dV", "-W", path], capture_output=True, text=True).stdout
        info = elf.read_elf(path)
        assert info.needed == re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]", out)
        names = {n for v in info.version_needs.values() for n in v}
        assert names == set(re.findall(r"Name: (\S+)\s+Flags", out))


# --- the audit -----------------------------------------------------------------------------


def _bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "disclosure-desk"
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    make_elf(bundle / "disclosure-desk", needed=["libc.so.6"], versions={"libc.so.6": ["GLIBC_2.2.5"]})
    make_elf(qt / "lib" / "libQt6XcbQpa.so.6", needed=["libxcb-icccm.so.4", "libxkbcommon-x11.so.0"],
             versions={"libc.so.6": ["GLIBC_2.28"], "libstdc++.so.6": ["GLIBCXX_3.4.22"]},
             runpath="$ORIGIN")
    make_elf(qt / "plugins" / "platforms" / "libqxcb.so", needed=["libQt6XcbQpa.so.6", "libxcb-cursor.so.0"],
             versions={"libc.so.6": ["GLIBC_2.14"]}, runpath="$ORIGIN/../../lib")
    make_elf(internal / "libxcb-icccm.so.4", needed=["libxcb.so.1"], versions={"libc.so.6": ["GLIBC_2.2.5"]})
    make_elf(internal / "libxcb-cursor.so.0", needed=["libxcb-render.so.0", "libxcb-util.so.1"],
             versions={"libc.so.6": ["GLIBC_2.8"]})
    make_elf(internal / "libxcb-util.so.1", needed=["libxcb.so.1"], versions={"libc.so.6": ["GLIBC_2.8"]})
    (internal / "base_library.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return bundle


def test_a_bundle_for_glibc_2_28_passes_the_audit(tmp_path):
    bundle = _bundle(tmp_path)
    problems, figures = build_installer.audit_linux_bundle(bundle, (2, 28))
    assert problems == []
    assert figures["elf_files"] == 6 and figures["above"] == 0 and figures["max_glibc"] == (2, 28)
    # libxcb, libxkbcommon-x11 … are the system's, on purpose
    assert {"libxcb.so.1", "libxkbcommon-x11.so.0", "libxcb-render.so.0"} <= figures["system_needed"]


def test_a_file_needing_a_newer_glibc_fails_the_audit(tmp_path):
    bundle = _bundle(tmp_path)
    make_elf(bundle / "_internal" / "libpython3.11.so.1.0", needed=["libc.so.6"],
             versions={"libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.35"]})
    make_elf(bundle / "_internal" / "libexpat.so.1", versions={"libc.so.6": ["GLIBC_2.25"]})
    problems, figures = build_installer.audit_linux_bundle(bundle, (2, 28))
    assert problems == ["_internal/libpython3.11.so.1.0: needs GLIBC_2.35 (target glibc 2.28)"]
    assert figures["above"] == 1 and figures["max_glibc"] == (2, 35)
    # without a target only missing libraries count
    assert build_installer.audit_linux_bundle(bundle, None)[0] == []


def test_a_newer_cxx_runtime_than_gcc8_fails_the_audit(tmp_path):
    bundle = _bundle(tmp_path)
    make_elf(bundle / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6",
             versions={"libc.so.6": ["GLIBC_2.28"], "libstdc++.so.6": ["GLIBCXX_3.4.29", "CXXABI_1.3.13"]})
    problems, _ = build_installer.audit_linux_bundle(bundle, (2, 28))
    assert problems == ["_internal/PySide6/Qt/lib/libQt6Core.so.6: needs GLIBCXX_3.4.29, CXXABI_1.3.13 "
                        "(target glibc 2.28)"]


def test_a_qt_plugin_dependency_nobody_provides_fails_the_audit(tmp_path):
    """What happened with libxcb-keysyms1: the plugin needs it, the build
    machine did not have it, the bundle did not carry it."""
    bundle = _bundle(tmp_path)
    make_elf(bundle / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so",
             needed=["libQt6XcbQpa.so.6", "libxcb-keysyms.so.1"], versions={"libc.so.6": ["GLIBC_2.14"]},
             runpath="$ORIGIN/../../lib")
    problems, _ = build_installer.audit_linux_bundle(bundle, (2, 28))
    assert problems == ["_internal/PySide6/Qt/plugins/platforms/libqxcb.so: links to libxcb-keysyms.so.1, "
                        "which is neither in the bundle nor left to the system"]


def test_what_the_bundle_leaves_to_the_system_comes_in_matched_pairs():
    from linux_libs import BUNDLED_SYSTEM_LIBS, SYSTEM_LIBS, is_system_lib

    pairs = [("libxkbcommon.so.0", "libxkbcommon-x11.so.0"), ("libX11.so.6", "libX11-xcb.so.1"),
             ("libxcb.so.1", "libxcb-xkb.so.1"), ("libGL.so.1", "libEGL.so.1")]
    for a, b in pairs:
        assert is_system_lib(a) and is_system_lib(b), (a, b)
    assert not set(BUNDLED_SYSTEM_LIBS) & set(SYSTEM_LIBS)
    assert is_system_lib("libcups.so.2") and not is_system_lib("libxcb-icccm.so.4")
    # every library the bundle leaves to the system that Qt's xcb plugin needs
    # has a package name for the Chinese message of the platform check
    from desktop_app.platform_check import SONAME_PACKAGES

    xcb_related = [n for n in SYSTEM_LIBS if n.startswith(("libxcb", "libxkb", "libX11", "libGL.", "libEGL"))]
    assert all(n in SONAME_PACKAGES for n in xcb_related if n not in
               ("libxcb-present.so.0", "libxcb-dri2.so.0", "libxcb-dri3.so.0"))
