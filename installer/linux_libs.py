"""Which shared libraries the Linux bundle carries and which it leaves to
the clerk's system (统信UOS, 麒麟, Debian …).  Read by build_installer.spec
(what to collect) and scripts/build_installer.py (the audit).

Left to the system:

* glibc itself (the bundle is built for the oldest glibc it supports);
* what must match the local setup: the OpenGL/EGL driver stack (libGL,
  libEGL, libGLX, libGLdispatch), CUPS, D-Bus, the Kerberos libraries;
* libraries that come in **matched pairs** with a half the system has
  anyway — libxkbcommon with libxkbcommon-x11, libX11 with libX11-xcb,
  libxcb with its extension libraries (randr, render, shape, shm, sync,
  xfixes, xkb …, all built from one source package): a bundled
  libxkbcommon-x11 next to the system's libxkbcommon segfaults as the
  xcb plugin loads;
* the toolkit base every desktop has and keeps patched: libstdc++ and
  libgcc_s (the PySide6 6.9 wheels need GLIBCXX_3.4.22, GCC 6 or later),
  glib, fontconfig, freetype, libpng, libexpat, zlib, zstd, xz, bzip2.

Carried by the bundle, always (installed on the build machine or the
build fails): the xcb-util libraries, which a bare Debian, UOS or Kylin
install may lack and which need nothing newer than GLIBC_2.14
(:data:`BUNDLED_SYSTEM_LIBS`); libffi.so.8 (ctypes; Debian 11 and UOS 20
have libffi.so.7 only) comes with the interpreter's modules.
"""

from __future__ import annotations

#: Sonames (or prefixes ending in ".so") never bundled.
SYSTEM_LIBS = (
    # glibc (PyInstaller leaves these out itself; listed for the audit)
    "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
    "libresolv.so.2", "libcrypt.so.1", "libnsl.so.1", "libanl.so.1", "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
    # the C++ runtime
    "libstdc++.so.6", "libgcc_s.so.1",
    # OpenGL / EGL: the driver's own
    "libGL.so.1", "libEGL.so.1", "libGLX.so.0", "libGLdispatch.so.0", "libOpenGL.so.0",
    # pairs: libxkbcommon + -x11, libX11 + -xcb, libxcb + its extensions
    "libxkbcommon.so.0", "libxkbcommon-x11.so.0", "libX11.so.6", "libX11-xcb.so.1",
    "libxcb.so.1", "libxcb-randr.so.0", "libxcb-render.so.0", "libxcb-shape.so.0", "libxcb-shm.so.0",
    "libxcb-sync.so.1", "libxcb-xfixes.so.0", "libxcb-xkb.so.1", "libxcb-glx.so.0",
    "libxcb-xinerama.so.0", "libxcb-xinput.so.0", "libxcb-present.so.0", "libxcb-dri2.so.0",
    "libxcb-dri3.so.0", "libXau.so.6", "libXdmcp.so.6", "libXext.so.6", "libXrender.so.1",
    "libSM.so.6", "libICE.so.6",
    # Wayland (the wayland platform plugin)
    "libwayland-client.so.0", "libwayland-cursor.so.0", "libwayland-egl.so.1",
    # printing, the session bus, Kerberos (behind CUPS)
    "libcups.so.2", "libdbus-1.so.3", "libsystemd.so.0", "libgssapi_krb5.so.2", "libkrb5.so.3",
    "libk5crypto.so.3", "libkrb5support.so.0", "libcom_err.so.2", "libkeyutils.so.1",
    "libavahi-common.so.3", "libavahi-client.so.3", "libgnutls.so.30",
    # the desktop's base libraries
    "libglib-2.0.so.0", "libgthread-2.0.so.0", "libgobject-2.0.so.0", "libgio-2.0.so.0",
    "libgmodule-2.0.so.0", "libpcre2-8.so.0", "libpcre.so.3", "libmount.so.1", "libblkid.so.1",
    "libselinux.so.1", "libfontconfig.so.1", "libfreetype.so.6", "libpng16.so.16", "libexpat.so.1",
    "libz.so.1", "libzstd.so.1", "liblzma.so.5", "libbz2.so.1.0", "libbrotlidec.so.1",
    "libbrotlicommon.so.1", "libharfbuzz.so.0", "libgraphite2.so.3", "libgcrypt.so.20",
    "libgpg-error.so.0", "liblz4.so.1", "libcap.so.2",
)

#: Carried by the bundle from the build machine, always (a bare machine
#: may lack them; they need GLIBC_2.14 at most).
BUNDLED_SYSTEM_LIBS = (
    "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0", "libxcb-image.so.0",
    "libxcb-render-util.so.0", "libxcb-util.so.1",
)

#: The newest symbol versions a bundled file may need from the system's
#: C++ runtime: GCC 8's (统信UOS 20).
MAX_GLIBCXX = (3, 4, 25)
MAX_CXXABI = (1, 3, 11)


def is_system_lib(name: str) -> bool:
    """Whether the library file or soname ``name`` is left to the system."""
    base = name.rsplit("/", 1)[-1]
    return any(base == s or base.startswith(s + ".") for s in SYSTEM_LIBS)
