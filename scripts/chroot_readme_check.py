"""Run the README's first command on a bare Debian in a chroot, with a
virtual display (root; debootstrap and Xvfb on this machine):

    sudo python3 scripts/chroot_readme_check.py             # bookworm
    sudo python3 scripts/chroot_readme_check.py --suite bullseye

1. ``debootstrap --variant=minbase SUITE`` into build/chroots/readme-SUITE,
   then only ``python3`` (a machine with Python and nothing else: no venv
   module, no X or GL libraries, no Chinese font);
2. this checkout's files (tracked and new, not ignored) copied in;
3. the README's command 1, exactly as written, run on this machine's
   Xvfb (its socket shared with the chroot); the app quits once its
   window is shown (``DISCLOSURE_DESK_EXIT_AFTER_SHOW=1``, the start-up
   probe) and a screenshot is taken first;
4. the same command again, on the machine that now has everything: it
   must still work as written and install nothing.

Exit 0 when both runs showed the window.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from chroot_bundle_check import MIRROR, Chroot, log, show


def readme_command() -> str:
    """Command 1 of the README's "Two commands for a fresh machine"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands for a fresh machine", 1)[1]
    blocks = re.findall(r"```\n(.*?)\n```", section, re.S)
    return blocks[0].strip()


def copy_checkout(target: Path) -> int:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.split(b"\0")
    if target.exists():
        shutil.rmtree(target)
    n = 0
    for raw in files:
        if not raw:
            continue
        rel = raw.decode()
        src = ROOT / rel
        if not src.is_file():
            continue
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        n += 1
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", default="bookworm")
    ap.add_argument("--fresh", action="store_true", help="debootstrap again (a bare machine)")
    ap.add_argument("--screenshot", type=Path, default=ROOT / "build" / "readme-chroot-window.png")
    args = ap.parse_args(argv)
    root = ROOT / "build" / "chroots" / f"readme-{args.suite}"
    if args.fresh and root.exists():
        shutil.rmtree(root)
    if not (root / "bin" / "sh").exists():
        log(f"debootstrap --variant=minbase {args.suite}")
        subprocess.run(["debootstrap", "--variant=minbase", args.suite, str(root), MIRROR], check=True,
                       stdout=subprocess.DEVNULL)
    command = readme_command()
    log(f"README command 1: {command}")
    n = copy_checkout(root / "root" / "disclosure-desk")
    log(f"copied {n} files of this checkout to /root/disclosure-desk")
    failures = []
    exe = shutil.which("Xvfb")
    if exe is None:
        raise SystemExit("Xvfb is needed (apt-get install xvfb)")
    with Chroot(root) as ch:
        before = ch.run("apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 >/dev/null;"
                        " dpkg-query -W -f '${Package}\\n'", timeout=900)
        packages = before.stdout.split()
        log(f"bare machine: {len(packages)} packages; python3-venv: {'python3-venv' in packages}; "
            f"X/GL: {[p for p in packages if p.startswith(('libx', 'libgl', 'libegl'))] or 'none'}; "
            f"CJK fonts: {[p for p in packages if p.startswith('fonts-')] or 'none'}")
        n_display = next(i for i in range(180, 250) if not Path(f"/tmp/.X11-unix/X{i}").exists())
        xvfb = subprocess.Popen([exe, f":{n_display}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not Path(f"/tmp/.X11-unix/X{n_display}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            env = {"DISPLAY": f":{n_display}", "DISCLOSURE_DESK_EXIT_AFTER_SHOW": "1",
                   "DISCLOSURE_DESK_NO_FONT_CONVERSION": "1"}
            host_ca = os.environ.get("PIP_CERT") or os.environ.get("REQUESTS_CA_BUNDLE")
            if host_ca and Path(host_ca).is_file():
                # this machine reaches PyPI through a TLS-inspecting proxy: give
                # the chroot's pip the same trust (a real machine needs nothing)
                target = root / "etc" / "ssl" / "host-ca.crt"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(host_ca, target)
                env["PIP_CERT"] = "/etc/ssl/host-ca.crt"
            for attempt in ("bare machine", "second run, everything installed"):
                t0 = time.perf_counter()
                proc = ch.run(f"cd /root/disclosure-desk && {command}; echo EXIT=$?", env=env, timeout=3600)
                seconds = time.perf_counter() - t0
                show(proc, 8)
                shown = "DISCLOSURE_DESK_SHOWN" in proc.stdout and "EXIT=0" in proc.stdout
                installed = re.search(r"\[system_packages\] installing: (.*)", proc.stdout)
                log(f"{attempt}: {'window shown' if shown else 'FAILED'} in {seconds:.0f} s; "
                    f"installed: {installed.group(1) if installed else 'nothing'}")
                if not shown:
                    failures.append(attempt)
                if attempt == "second run, everything installed" and installed:
                    failures.append("the second run installed packages again")
            # a screenshot of the app as command 1 leaves it running (without the probe)
            running = subprocess.Popen(
                [shutil.which("chroot") or "/usr/sbin/chroot", str(root), "/bin/sh", "-c",
                 "cd /root/disclosure-desk && exec .venv/bin/disclosure-desk --demo"],
                env={"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8", "DISPLAY": f":{n_display}",
                     "DISCLOSURE_DESK_NO_FONT_CONVERSION": "1"},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(15)
            if shutil.which("import"):
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run(["import", "-display", f":{n_display}", "-window", "root", str(args.screenshot)],
                               check=False)
                log(f"screenshot: {args.screenshot}")
            running.terminate()
            try:
                running.wait(20)
            except subprocess.TimeoutExpired:
                running.kill()
        finally:
            xvfb.terminate()
            xvfb.wait(10)
    log("README command 1 works on a bare machine and again as written" if not failures
        else f"FAILED: {'; '.join(failures)}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
