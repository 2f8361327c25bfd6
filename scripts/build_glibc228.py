"""Build the Linux bundle that runs on glibc 2.28 (统信UOS 20, 麒麟 V10 x86_64)
from a Debian 12 machine, with one command:

    python3 scripts/build_glibc228.py

What it does (each step is skipped when its result is already there;
``--clean`` starts over, ``--from STEP`` redoes a step and what follows):

1. ``toolchain``: the zig compiler from PyPI (``ziglang``) in a private
   venv, wrapped as a C compiler for ``x86_64-linux-gnu.2.28``: every
   program and library built with it needs glibc 2.28 at most, whatever
   the build machine has.
2. ``sources``: Debian's source packages of CPython 3.11, SQLite and
   OpenSSL through ``apt-get source`` (a ``deb-src`` line is needed:
   ``--add-deb-src`` writes one), hash-checked by apt.  Debian's security
   patches are applied to CPython (its packaging patches — file layout,
   multiarch, disabled ensurepip — are left out, :data:`CPYTHON_DEBIAN_ONLY`)
   and all of Debian's patches to SQLite; OpenSSL is upstream's newest
   3.0.x release known to apt (Debian's OpenSSL patches only adapt its
   build to Debian).
3. ``openssl``: a static libcrypto/libssl (``_hashlib``'s scrypt is the
   start-up password's hash; ``_ssl`` serves only pip in the build venv
   and is left out of the bundle).
4. ``sqlite``: the SQLite amalgamation built from Debian's patched tree,
   with Debian's compile options, as a static library for ``_sqlite3``.
5. ``python``: CPython with ``--enable-shared``, pyexpat against the
   system's libexpat (left to the target system, which keeps it patched).
6. ``venv``: a venv of that interpreter with PySide6-Essentials
   :data:`PYSIDE6_VERSION` (the newest with manylinux_2_28 x86_64 wheels)
   and the app's other dependencies, pip restricted to wheels for
   glibc ≤ 2.28 (a ``_manylinux`` policy module), and PyInstaller.
7. ``bundle``: ``scripts/build_installer.py --target-glibc 2.28`` in that
   venv: PyInstaller, the audit (no file above GLIBC_2.28, every Qt
   plugin's dependency resolved), the self-test (offscreen and, when
   Xvfb is installed, on a real X display), install.sh, the .tar.gz.

Result: ``dist/disclosure-desk/`` and
``dist/disclosure-desk-<version>-linux-x86_64-glibc2.28.tar.gz``.  About
7 minutes on 2 cores the first time (OpenSSL and CPython take most of
it); ``BENCHMARKS.md`` has the measured figures.  Needs: Debian 12 (or
another Debian-family machine) with build-essential, dpkg-dev and tcl (the
SQLite amalgamation); zlib1g-dev libffi-dev libbz2-dev liblzma-dev
uuid-dev libexpat1-dev for the headers; the xcb-util libraries the bundle
carries (libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0
libxcb-render-util0 libxcb-util1); Xvfb for the self-test on a display
(optional); network access to PyPI and to a Debian mirror.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "glibc228"
TARGET = "x86_64-linux-gnu.2.28"
TARGET_GLIBC = "2.28"

ZIGLANG_VERSION = "0.17.1"
PYSIDE6_VERSION = "6.9.3"
PYINSTALLER_SPEC = "pyinstaller>=6.5"

#: Debian's packaging patches of python3.11: they shape Debian's own file
#: layout and build (dist-packages, multiarch names, a disabled ensurepip,
#: split minimal packages, documentation) and do not belong in a private
#: interpreter.  Every other patch in debian/patches/series — the security
#: fixes and upstream backports Debian adds with each update — is applied,
#: so a newer source package's new CVE patches are taken without editing
#: this script.
CPYTHON_DEBIAN_ONLY = {
    "deb-setup.diff", "deb-locations.diff", "distutils-install-layout.diff", "locale-module.diff",
    "distutils-link.diff", "distutils-sysconfig.diff", "sysconfig-debian-schemes.diff",
    "tkinter-import.diff", "gdbm-import.diff", "link-opt.diff", "setup-modules.diff",
    "profiled-build.diff", "langpack-gettext.diff", "disable-sem-check.diff", "lib-argparse.diff",
    "ctypes-arm.diff", "multiarch.diff", "lib2to3-no-pickled-grammar.diff",
    "ext-no-libpython-link.diff", "test-no-random-order.diff", "multiarch-extname.diff",
    "tempfile-minimal.diff", "disable-some-tests.diff", "ensurepip-disabled.diff",
    "mangle-fstack-protector.diff", "reproducible-buildinfo.diff", "pydoc-use-pager.diff",
    "local-doc-references.diff", "doc-build-texinfo.diff", "argparse-no-shutil.diff",
    "sysconfigdata-name.diff", "hurd_kfreebsd_thread_native_id.diff", "sphinx3.diff",
    "destshared-location.diff", "ntpath-import.diff",
    # tests only, for Debian's patched system expat
    "skip-xml-tests-expat-CVE-2023-52425.patch",
}

#: SQLite's compile options: Debian's (debian/rules) plus what its
#: configure adds (FTS4, FTS5, math functions).
SQLITE_CFLAGS = [
    "-O2", "-fPIC", "-fno-strict-aliasing",
    "-DSQLITE_SECURE_DELETE", "-DSQLITE_ENABLE_COLUMN_METADATA",
    "-DSQLITE_ENABLE_FTS3", "-DSQLITE_ENABLE_FTS3_PARENTHESIS", "-DSQLITE_ENABLE_FTS4",
    "-DSQLITE_ENABLE_FTS5", "-DSQLITE_ENABLE_RTREE=1", "-DSQLITE_SOUNDEX=1",
    "-DSQLITE_ENABLE_UNLOCK_NOTIFY", "-DSQLITE_OMIT_LOOKASIDE=1", "-DSQLITE_ENABLE_DBSTAT_VTAB",
    "-DSQLITE_ALLOW_ROWID_IN_VIEW", "-DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1",
    "-DSQLITE_ENABLE_LOAD_EXTENSION", "-DSQLITE_ENABLE_JSON1", "-DSQLITE_LIKE_DOESNT_MATCH_BLOBS",
    "-DSQLITE_THREADSAFE=1", "-DSQLITE_ENABLE_FTS3_TOKENIZER=1", "-DSQLITE_USE_URI=1",
    "-DSQLITE_MAX_SCHEMA_RETRY=25", "-DSQLITE_ENABLE_PREUPDATE_HOOK", "-DSQLITE_ENABLE_SESSION",
    "-DSQLITE_ENABLE_STMTVTAB", "-DSQLITE_MAX_VARIABLE_NUMBER=250000",
    "-DSQLITE_ENABLE_MATH_FUNCTIONS", "-DHAVE_USLEEP=1",
]

STEPS = ["toolchain", "sources", "openssl", "sqlite", "python", "venv", "bundle"]

MULTIARCH = "x86_64-linux-gnu"
JOBS = os.cpu_count() or 2


def log(msg: str) -> None:
    print(f"[build_glibc228] {msg}", flush=True)


def run(cmd, *, cwd=None, env=None, logfile: Path | None = None) -> None:
    shown = " ".join(str(c) for c in cmd)
    log(f"$ {shown}" + (f"  (log: {logfile.relative_to(ROOT)})" if logfile else ""))
    if logfile is None:
        subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, check=True)
        return
    logfile.parent.mkdir(parents=True, exist_ok=True)
    with open(logfile, "a", encoding="utf-8") as fh:
        fh.write(f"\n$ {shown}\n")
        fh.flush()
        proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = logfile.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        print("\n".join("    " + line for line in tail))
        raise SystemExit(f"[build_glibc228] failed ({proc.returncode}): {shown}")


class Paths:
    def __init__(self, work: Path):
        self.work = work
        self.tools = work / "tools"
        self.bin = work / "bin"
        self.cc = self.bin / "cc"
        self.src = work / "src"
        self.openssl = work / "openssl"
        self.sqlite = work / "sqlite"
        self.python = work / "python"
        self.venv = work / "venv"
        self.logs = work / "logs"
        self.stamps = work / "stamps"

    def done(self, step: str) -> bool:
        return (self.stamps / step).exists()

    def mark(self, step: str, note: str = "") -> None:
        self.stamps.mkdir(parents=True, exist_ok=True)
        (self.stamps / step).write_text(note or time.strftime("%Y-%m-%d %H:%M:%S"), encoding="utf-8")


# --- 1. toolchain -------------------------------------------------------------------------


def step_toolchain(p: Paths) -> None:
    if not (p.tools / "bin" / "python").exists():
        run([sys.executable, "-m", "venv", p.tools])
    run([p.tools / "bin" / "python", "-m", "pip", "install", "-q", f"ziglang=={ZIGLANG_VERSION}"])
    zig = next((p.tools / "lib").glob("python3*/site-packages/ziglang/zig"))
    p.bin.mkdir(parents=True, exist_ok=True)
    # * CPython's configure passes gcc's -Wl,-hNAME, which zig's linker
    #   rejects: spell it -Wl,-soname,NAME.
    # * zig brings glibc 2.28's own headers; the build machine's headers
    #   (zlib.h, ffi.h, bzlib.h …) come after them (-idirafter), never
    #   before: CPython's setup.py adds -I/usr/include/<multiarch>, which
    #   would put the build machine's newer glibc headers first.
    # * The build machine's libraries (libz, libffi …) are searched last
    #   (-L at the end), after our own static OpenSSL and SQLite; zig
    #   refuses to link one that needs a newer glibc.
    p.cc.write_text(
        "#!/bin/sh\n"
        f"# zig cc for {TARGET}: what it builds needs glibc {TARGET_GLIBC} at most\n"
        'for a; do shift\n'
        '  case "$a" in\n'
        '    -Wl,-h*) a="-Wl,-soname,${a#-Wl,-h}" ;;\n'
        f'    -I/usr/include|-I/usr/include/{MULTIARCH}|-I/usr/local/include) continue ;;\n'
        '  esac\n'
        '  set -- "$@" "$a"\n'
        'done\n'
        f'ZIG_GLOBAL_CACHE_DIR="{p.work / "zig-cache"}" exec "{zig}" cc -target {TARGET} "$@" '
        f'-idirafter /usr/include -idirafter /usr/include/{MULTIARCH} '
        f'-L/usr/lib/{MULTIARCH} -L/lib/{MULTIARCH} -Wno-unused-command-line-argument\n',
        encoding="utf-8")
    p.cc.chmod(0o755)
    probe = p.work / "probe.c"
    probe.write_text("#include <stdio.h>\nint main(void){puts(\"ok\");return 0;}\n", encoding="utf-8")
    run([p.cc, probe, "-o", p.work / "probe"])
    out = subprocess.run([str(p.work / "probe")], capture_output=True, text=True).stdout.strip()
    if out != "ok":
        raise SystemExit("[build_glibc228] the zig compiler's test program does not run")


# --- 2. sources ---------------------------------------------------------------------------


def _source_versions(package: str) -> list[str]:
    out = subprocess.run(["apt-cache", "showsrc", package], capture_output=True, text=True).stdout
    versions = re.findall(r"^Version: (\S+)$", out, re.M)
    if not versions:
        raise SystemExit(f"[build_glibc228] apt knows no source package {package}: add a deb-src line "
                         "(python3 scripts/build_glibc228.py --add-deb-src) and run apt-get update")

    # newest first, by dpkg's own ordering
    import functools

    def cmp(a: str, b: str) -> int:
        if a == b:
            return 0
        return 1 if subprocess.run(["dpkg", "--compare-versions", a, "gt", b]).returncode == 0 else -1

    return sorted(set(versions), key=functools.cmp_to_key(cmp), reverse=True)


def _fetch_source(p: Paths, package: str, *, need_dsc: bool) -> tuple[str, Path]:
    """(version, the downloaded .dsc or orig tarball) of the newest
    version of ``package`` whose files the mirror serves."""
    p.src.mkdir(parents=True, exist_ok=True)
    for version in _source_versions(package):
        upstream = version.split(":")[-1].rsplit("-", 1)[0]
        proc = subprocess.run(["apt-get", "source", "--download-only", f"{package}={version}"], cwd=p.src,
                              capture_output=True, text=True)
        dsc = p.src / f"{package}_{version.split(':')[-1]}.dsc"
        if proc.returncode == 0 and dsc.exists():
            return version, dsc
        origs = sorted(p.src.glob(f"{package}_{upstream}.orig.tar.*"))
        origs = [o for o in origs if not o.name.endswith(".asc")]
        if not need_dsc and origs:
            return version, origs[0]
        log(f"{package} {version}: not (completely) on the mirror, trying an older version")
    raise SystemExit(f"[build_glibc228] no version of {package} could be downloaded")


def step_sources(p: Paths) -> None:
    notes = []
    # CPython: Debian's package with its security patches.
    version, dsc = _fetch_source(p, "python3.11", need_dsc=True)
    tree = p.src / "python3.11-debian"
    shutil.rmtree(tree, ignore_errors=True)
    run(["dpkg-source", "--no-check", "--skip-patches", "-x", dsc, tree], logfile=p.logs / "sources.log")
    series = (tree / "debian" / "patches" / "series").read_text(encoding="utf-8").split()
    applied = []
    for name in series:
        if name in CPYTHON_DEBIAN_ONLY:
            continue
        run(["patch", "-p1", "--forward", "--batch", "-i", tree / "debian" / "patches" / name], cwd=tree,
            logfile=p.logs / "sources.log")
        applied.append(name)
    notes.append(f"python3.11 {version}: {len(applied)} of Debian's {len(series)} patches applied "
                 f"(security fixes and backports): {' '.join(applied)}")
    (p.work / "cpython-patches.txt").write_text("\n".join(applied) + "\n", encoding="utf-8")
    # SQLite: Debian's tree with all its patches (security fixes included).
    version, dsc = _fetch_source(p, "sqlite3", need_dsc=True)
    tree = p.src / "sqlite3-debian"
    shutil.rmtree(tree, ignore_errors=True)
    run(["dpkg-source", "--no-check", "-x", dsc, tree], logfile=p.logs / "sources.log")
    notes.append(f"sqlite3 {version}: Debian's tree, all patches")
    # OpenSSL: the newest upstream 3.0 release apt knows (hash-checked).
    version, archive = _fetch_source(p, "openssl", need_dsc=False)
    tree = p.src / "openssl-upstream"
    shutil.rmtree(tree, ignore_errors=True)
    if archive.name.endswith(".dsc"):
        run(["dpkg-source", "--no-check", "--skip-patches", "-x", archive, tree], logfile=p.logs / "sources.log")
    else:
        tree.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            top = tar.getnames()[0].split("/")[0]
            tar.extractall(p.src / "openssl-tmp")
        shutil.rmtree(tree)
        shutil.move(str(p.src / "openssl-tmp" / top), tree)
        shutil.rmtree(p.src / "openssl-tmp", ignore_errors=True)
    notes.append(f"openssl {version}: upstream release {archive.name}")
    (p.work / "sources.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    for n in notes:
        log(n[:200])


# --- 3. OpenSSL -----------------------------------------------------------------------------


def step_openssl(p: Paths) -> None:
    tree = p.src / "openssl-upstream"
    env = dict(os.environ, CC=str(p.cc))
    shutil.rmtree(p.openssl, ignore_errors=True)
    if (tree / "Makefile").exists():
        run(["make", "distclean"], cwd=tree, env=env, logfile=p.logs / "openssl.log")
    run(["./Configure", "linux-x86_64", "no-shared", "no-tests", "no-engine", "no-module", "-fPIC",
         f"--prefix={p.openssl}", "--libdir=lib", "--openssldir=/etc/ssl"],
        cwd=tree, env=env, logfile=p.logs / "openssl.log")
    run(["make", f"-j{JOBS}", "build_libs"], cwd=tree, env=env, logfile=p.logs / "openssl.log")
    run(["make", "install_dev"], cwd=tree, env=env, logfile=p.logs / "openssl.log")


# --- 4. SQLite ------------------------------------------------------------------------------


def step_sqlite(p: Paths) -> None:
    tree = p.src / "sqlite3-debian"
    amalg = p.work / "sqlite-amalgamation"
    shutil.rmtree(amalg, ignore_errors=True)
    amalg.mkdir(parents=True)
    # the amalgamation is generated with the build machine's own compiler
    # and tclsh; only the library below is built for the target
    run([tree / "configure", "--disable-tcl"], cwd=amalg, env=dict(os.environ, CC="gcc"),
        logfile=p.logs / "sqlite.log")
    run(["make", "sqlite3.c"], cwd=amalg, logfile=p.logs / "sqlite.log")
    shutil.rmtree(p.sqlite, ignore_errors=True)
    p.sqlite.mkdir(parents=True)
    shutil.copy2(amalg / "sqlite3.h", p.sqlite / "sqlite3.h")
    shutil.copy2(amalg / "sqlite3ext.h", p.sqlite / "sqlite3ext.h")
    run([p.cc, "-c", *SQLITE_CFLAGS, amalg / "sqlite3.c", "-o", p.sqlite / "sqlite3.o"],
        logfile=p.logs / "sqlite.log")
    run(["ar", "rcs", p.sqlite / "libsqlite3.a", p.sqlite / "sqlite3.o"], logfile=p.logs / "sqlite.log")


# --- 5. CPython -----------------------------------------------------------------------------


def step_python(p: Paths) -> None:
    tree = p.src / "python3.11-debian"
    build = p.work / "cpython-build"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    shutil.rmtree(p.python, ignore_errors=True)
    env = dict(
        os.environ,
        CC=str(p.cc),
        CFLAGS="-O2 -Wno-error=date-time -Wno-unused-command-line-argument",
        LDFLAGS=f"-Wl,-rpath,{p.python / 'lib'}",
        # pyexpat against the system's libexpat needs the core-module define
        # that CPython's setup.py gives only the bundled expat
        LIBEXPAT_CFLAGS="-DPy_BUILD_CORE_MODULE",
        # the build machine's liblzma needs a newer glibc than the target:
        # _lzma links to it by name only and uses the target's liblzma.so.5
        # (left to the system, like libexpat)
        LIBLZMA_CFLAGS="-DDD_SYSTEM_LZMA=1",
        LIBLZMA_LIBS="-llzma -Wl,--allow-shlib-undefined",
        LIBSQLITE3_CFLAGS=f"-I{p.sqlite}",
        LIBSQLITE3_LIBS=f"-L{p.sqlite} -lsqlite3 -lm",  # our static library, found before the system's
        # no pkg-config: it would hand the build machine's flags to the target build
        PKG_CONFIG="false",
    )
    env.pop("PYTHONPATH", None)
    run([tree / "configure", f"--prefix={p.python}", "--enable-shared", f"--with-openssl={p.openssl}",
         "--with-system-expat", "--with-system-ffi", "--without-ensurepip", "--disable-test-modules",
         "--with-lto=no"],
        cwd=build, env=env, logfile=p.logs / "python.log")
    _fix_makefile(build)
    run(["make", f"-j{JOBS}"], cwd=build, env=env, logfile=p.logs / "python.log")
    run(["make", "install"], cwd=build, env=env, logfile=p.logs / "python.log")
    python = p.python / "bin" / "python3.11"
    out = subprocess.run([str(python), "-c",
                          "import ssl, _hashlib, hashlib, sqlite3, ctypes, zlib, bz2, lzma, pyexpat, _uuid;"
                          "hashlib.scrypt(b'x', salt=b'y', n=16, r=8, p=1);"
                          "c = sqlite3.connect(':memory:'); c.execute(\"select json_array(1)\");"
                          "c.execute('create virtual table t using fts5(x)');"
                          "print(sqlite3.sqlite_version, ssl.OPENSSL_VERSION)"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"[build_glibc228] the new interpreter lacks a module:\n{out.stderr}")
    log(f"interpreter: SQLite {out.stdout.strip()}")


def _fix_makefile(build: Path) -> None:
    """zig will not link libpython3.so (the stable-ABI stub) from shared
    libraries alone: give it an empty object file to link."""
    makefile = build / "Makefile"
    text = makefile.read_text(encoding="utf-8")
    if "stub-abi3.o" in text:
        return
    pattern = re.compile(r"^(\t\$\(BLDSHARED\) \$\(NO_AS_NEEDED\) -o \$@ -Wl,-h\$@ \$\^)$", re.M)
    if not pattern.search(text):
        return
    text = pattern.sub(lambda m: "\techo > stub-abi3.c && $(CC) -fPIC -c stub-abi3.c -o stub-abi3.o\n"
                       + m.group(1) + " stub-abi3.o", text)
    makefile.write_text(text, encoding="utf-8")


# --- 6. the build venv ----------------------------------------------------------------------

MANYLINUX_POLICY = f'''"""pip's manylinux policy for this venv: wheels for glibc <= {TARGET_GLIBC} only
(the bundle must run there), whatever glibc the build machine has."""

def manylinux_compatible(major, minor, arch):
    return (major, minor) <= {tuple(int(x) for x in TARGET_GLIBC.split("."))!r}
'''


def step_venv(p: Paths) -> None:
    python = p.python / "bin" / "python3.11"
    shutil.rmtree(p.venv, ignore_errors=True)
    run([python, "-m", "venv", "--without-pip", p.venv])
    vpy = p.venv / "bin" / "python"
    site = Path(subprocess.run([str(vpy), "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "_manylinux.py").write_text(MANYLINUX_POLICY, encoding="utf-8")
    wheels = p.work / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    # pip itself, fetched with the build machine's pip, run from its wheel
    run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", wheels, "pip"])
    pip_wheel = next(wheels.glob("pip-*.whl"))
    run([vpy, f"{pip_wheel}/pip", "install", "-q", "--no-index", pip_wheel])
    pins = [f"PySide6-Essentials=={PYSIDE6_VERSION}", f"shiboken6=={PYSIDE6_VERSION}"]
    run([vpy, "-m", "pip", "install", "-q", "--only-binary=:all:", *pins, PYINSTALLER_SPEC])
    run([vpy, "-m", "pip", "install", "-q", "--prefer-binary", f"{ROOT}", *pins])
    run([vpy, "-m", "pip", "check"])


# --- 7. the bundle --------------------------------------------------------------------------


def step_bundle(p: Paths, extra: list[str]) -> None:
    vpy = p.venv / "bin" / "python"
    # the app as installed in the venv must be this checkout's code
    run([vpy, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", f"{ROOT}"])
    run([vpy, ROOT / "scripts" / "build_installer.py", "--target-glibc", TARGET_GLIBC, *extra], cwd=ROOT)


DEB_SRC = """Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""


def add_deb_src() -> None:
    target = Path("/etc/apt/sources.list.d/debian-src.sources")
    if target.exists():
        log(f"{target} exists")
    else:
        target.write_text(DEB_SRC, encoding="utf-8")
        log(f"wrote {target}")
    run(["apt-get", "update", "-qq"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="from_step", choices=STEPS, help="redo this step and the following ones")
    ap.add_argument("--only", choices=STEPS, help="run this step alone (again)")
    ap.add_argument("--clean", action="store_true", help=f"remove {WORK.relative_to(ROOT)} first")
    ap.add_argument("--add-deb-src", action="store_true",
                    help="add Debian's deb-src lines to apt's sources (root) and apt-get update")
    ap.add_argument("bundle_args", nargs="*", help="passed to build_installer.py (after --)")
    args = ap.parse_args(argv)
    if not sys.platform.startswith("linux"):
        raise SystemExit("build_glibc228.py builds the Linux bundle on Linux")
    if args.add_deb_src:
        add_deb_src()
    if args.clean:
        shutil.rmtree(WORK, ignore_errors=True)
    p = Paths(WORK)
    p.work.mkdir(parents=True, exist_ok=True)
    redo = set()
    if args.from_step:
        redo = set(STEPS[STEPS.index(args.from_step):])
    if args.only:
        redo = {args.only}
    started = time.perf_counter()
    times = []
    for step in STEPS:
        if args.only and step != args.only:
            continue
        if p.done(step) and step not in redo and step != "bundle":
            log(f"{step}: done before (--from {step} to redo)")
            continue
        t0 = time.perf_counter()
        log(f"--- {step}")
        if step == "bundle":
            step_bundle(p, args.bundle_args)
        else:
            globals()[f"step_{step}"](p)
        seconds = time.perf_counter() - t0
        times.append((step, seconds))
        p.mark(step, f"{seconds:.0f} s")
    total = time.perf_counter() - started
    log("times: " + ", ".join(f"{s} {t:.0f} s" for s, t in times) + f"; total {total / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
