"""Try the Linux bundle on an older Debian in a chroot, as a clerk's bare PC
would meet it (root; debootstrap and Xvfb on this machine):

    sudo python3 scripts/test_bundle_chroot.py                 # bullseye (glibc 2.31)
    sudo python3 scripts/test_bundle_chroot.py --suite bookworm --convert-fonts

1. ``debootstrap --variant=minbase SUITE`` into build/chroots/SUITE (kept
   for the next run);
2. the bundle's .tar.gz unpacked into the chroot's /opt;
3. **bare**: no X or GL libraries at all.  The GUI start with a display
   must say in Chinese which packages to install and exit 3; the command
   line must work without any of them (a register, the annual report as
   Word/Excel/PDF);
4. the packages that message named are installed with apt-get (plus
   fonts-noto-cjk), nothing else;
5. **installed**: the self-test passes offscreen and on an X display
   (this machine's Xvfb, its socket shared with the chroot), the GUI
   opens the demo register and shows its window (start-up probe), a
   screenshot of it is saved, and ``fonts`` lists the faces; with
   ``--convert-fonts`` the bundle converts Noto Serif CJK SC (minutes).

Prints what each step saw; exit 0 when every check held.
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
sys.path.insert(0, str(ROOT / "installer"))
from version_info import EXE_NAME, package_version

MIRROR = "http://deb.debian.org/debian"


def log(msg: str) -> None:
    print(f"[chroot] {msg}", flush=True)


class Chroot:
    def __init__(self, path: Path):
        self.path = path
        self.mounts: list[Path] = []

    def mount(self, source: str, target: str, *opts: str) -> None:
        where = self.path / target.lstrip("/")
        where.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", *opts, source, str(where)], check=True)
        self.mounts.append(where)

    def __enter__(self):
        self.mount("/proc", "/proc", "--bind")
        self.mount("/dev", "/dev", "--bind")
        self.mount("/dev/pts", "/dev/pts", "--bind")
        self.mount("tmpfs", "/dev/shm", "-t", "tmpfs")
        self.mount("/sys", "/sys", "--bind")
        Path("/tmp/.X11-unix").mkdir(exist_ok=True)
        self.mount("/tmp/.X11-unix", "/tmp/.X11-unix", "--bind")
        shutil.copy2("/etc/resolv.conf", self.path / "etc" / "resolv.conf")
        return self

    def __exit__(self, *exc):
        for where in reversed(self.mounts):
            subprocess.run(["umount", "-l", str(where)], check=False)
        self.mounts.clear()

    def run(self, script: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
        base = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
                "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
        base.update(env or {})
        return subprocess.run(["chroot", str(self.path), "/bin/sh", "-c", script], env=base,
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=timeout)


def show(proc: subprocess.CompletedProcess, limit: int = 25) -> None:
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    for line in lines[-limit:]:
        print("    " + line)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", default="bullseye")
    ap.add_argument("--tarball", type=Path, help="default: dist/disclosure-desk-<version>-linux-x86_64-glibc2.28.tar.gz")
    ap.add_argument("--fresh", action="store_true", help="debootstrap again")
    ap.add_argument("--convert-fonts", action="store_true", help="also convert Noto Serif CJK SC with the bundle")
    ap.add_argument("--screenshot", type=Path, default=ROOT / "build" / "chroot-main-window.png")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("needs root (debootstrap, chroot, mount)")
    tarball = args.tarball or ROOT / "dist" / f"{EXE_NAME}-{package_version()}-linux-x86_64-glibc2.28.tar.gz"
    if not tarball.is_file():
        raise SystemExit(f"no bundle at {tarball}: python3 scripts/build_glibc228.py")
    root = ROOT / "build" / "chroots" / args.suite
    if args.fresh and root.exists():
        shutil.rmtree(root)
    if not (root / "bin" / "sh").exists():
        log(f"debootstrap --variant=minbase {args.suite}")
        subprocess.run(["debootstrap", "--variant=minbase", args.suite, str(root), MIRROR], check=True,
                       stdout=subprocess.DEVNULL)
    opt = root / "opt"
    for old in opt.glob(f"{EXE_NAME}-*"):
        shutil.rmtree(old)
    with tarfile.open(tarball) as tar:
        tar.extractall(opt)
    app = f"/opt/{EXE_NAME}-{package_version()}/{EXE_NAME}"
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        log(("OK    " if ok else "FAILED ") + what)
        if not ok:
            failures.append(what)

    xvfb = None
    with Chroot(root) as ch:
        glibc = ch.run("ldd --version | head -1").stdout.strip()
        log(f"{args.suite}: {glibc}")
        # --- bare -------------------------------------------------------------------------
        installed = ch.run("dpkg-query -W -f '${Package}\\n' | sort").stdout.split()
        log(f"bare system: {len(installed)} packages, "
            f"X/GL libraries: {[p for p in installed if p.startswith(('libx', 'libgl', 'libegl'))] or 'none'}")
        gui = ch.run(f"rm -rf /root/.local; DISPLAY=:99 {app} --demo; echo EXIT=$?")
        show(gui, 12)
        code = re.search(r"EXIT=(\d+)", gui.stdout)
        m = re.search(r"sudo apt-get install ([^\n]+)", gui.stdout + gui.stderr)
        check(code is not None and code.group(1) == "3" and m is not None,
              "bare: the GUI says which packages to install (Chinese) and exits 3")
        logged = ch.run("cat /root/.local/share/DisclosureDesk/logs/app.log").stdout
        check("无法打开窗口" in logged, "bare: the message is in the data folder's logs/app.log")
        cli = ch.run(f"cd /tmp && rm -rf r && {app} --db /tmp/r/register.db init --parents && "
                     f"for f in docx xlsx pdf; do "
                     f"{app} --db /tmp/r/register.db report --year 2025 --out /tmp/r/report.$f || exit 1; done && "
                     "ls -la /tmp/r")
        show(cli, 8)
        docx_ok = cli.returncode == 0 and (root / "tmp" / "r" / "report.docx").is_file()
        if docx_ok:
            import zipfile

            with zipfile.ZipFile(root / "tmp" / "r" / "report.docx") as zf:
                docx_ok = "word/document.xml" in zf.namelist() and any(n.startswith("word/footer") for n in zf.namelist())
        check(docx_ok, "bare: the command line writes the annual report as Word (with its footer), Excel and PDF")
        # --- install what the message named ----------------------------------------------------
        packages = m.group(1).split() if m else []
        log(f"apt-get install {' '.join(packages)} fonts-noto-cjk")
        extra = " time" if args.convert_fonts else ""
        apt = ch.run(f"apt-get update -qq && apt-get install -y -qq --no-install-recommends {' '.join(packages)} "
                     f"fonts-noto-cjk fontconfig{extra} >/dev/null; echo EXIT=$?", timeout=1800)
        check("EXIT=0" in apt.stdout, "the named packages install")
        # --- installed -------------------------------------------------------------------------
        st = ch.run(f"cd /tmp && QT_QPA_PLATFORM=offscreen {app} --self-test")
        show(st, 4)
        check(st.returncode == 0 and st.stdout.startswith("自检通过"), "self-test offscreen")
        exe = shutil.which("Xvfb")
        if exe is None:
            check(False, "Xvfb on this machine (apt-get install xvfb)")
        else:
            n = next(i for i in range(170, 240) if not Path(f"/tmp/.X11-unix/X{i}").exists())
            xvfb = subprocess.Popen([exe, f":{n}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 20
            while not Path(f"/tmp/.X11-unix/X{n}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            st = ch.run(f"cd /tmp && DISPLAY=:{n} {app} --self-test")
            show(st, 4)
            check(st.returncode == 0 and "已在显示器上显示" in st.stdout, f"self-test on the X display :{n}")
            shown = ch.run(f"cd /tmp && DISPLAY=:{n} DISCLOSURE_DESK_EXIT_AFTER_SHOW=1 "
                           f"DISCLOSURE_DESK_NO_FONT_CONVERSION=1 timeout 300 {app} --demo; echo EXIT=$?")
            check("DISCLOSURE_DESK_SHOWN" in shown.stdout and "EXIT=0" in shown.stdout,
                  "the GUI opens the demo register and shows its window")
            # a screenshot of the running app
            running = subprocess.Popen([shutil.which("chroot") or "/usr/sbin/chroot", str(root), "/bin/sh", "-c",
                                        f"cd /tmp && DISPLAY=:{n} DISCLOSURE_DESK_NO_FONT_CONVERSION=1 exec {app} --demo"],
                                       env={"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8"},
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(12)
            if shutil.which("import"):
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run(["import", "-display", f":{n}", "-window", "root", str(args.screenshot)],
                               check=False)
                log(f"screenshot: {args.screenshot}")
            running.terminate()
            try:
                running.wait(20)
            except subprocess.TimeoutExpired:
                running.kill()
            ch.run("pkill -f disclosure-desk || true")
        fonts = ch.run(f"{app} fonts")
        show(fonts, 12)
        check(fonts.returncode == 0 and "正文（仿宋）" in fonts.stdout, "fonts lists each role and why")
        if args.convert_fonts:
            t0 = time.perf_counter()
            conv = ch.run(f"/usr/bin/time -v {app} fonts --convert 2>&1 | tail -40", timeout=3600)
            seconds = time.perf_counter() - t0
            peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", conv.stdout)
            log(f"conversion in the bundle: {seconds:.0f} s, peak "
                f"{int(peak.group(1)) / 1024:.0f} MB" if peak else f"conversion: {seconds:.0f} s")
            show(conv, 14)
            check("转换完成" in conv.stdout and "由 Noto Serif CJK SC（思源宋体）转换" in conv.stdout,
                  "the bundle converts Noto Serif CJK SC and then uses it")
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
    log("all checks held" if not failures else f"{len(failures)} check(s) failed: {'; '.join(failures)}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
