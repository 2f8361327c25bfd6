"""What a Linux shared library or program needs from the system, read from
its ELF headers without loading it.

Two things are read from the dynamic segment, the way the dynamic loader
itself finds them (program headers, so stripped files work too):

* ``needed``: the ``DT_NEEDED`` libraries (``libxcb-icccm.so.4`` …);
* ``version_needs``: the ``SHT_GNU_verneed`` table (what ``readelf -V``
  prints), the symbol versions each needed library must provide
  (``libc.so.6`` → ``GLIBC_2.28``, ``libstdc++.so.6`` → ``GLIBCXX_3.4.22``).

Used before Qt starts (:mod:`desktop_app.platform_check`: which libraries
Qt's xcb plugin links to) and by the Linux bundle's build
(``scripts/bundle_audit.py``: no file may need a newer glibc than the
oldest target).  Pure Python, ``struct`` only: a whole bundle is read in
well under a second.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
from dataclasses import dataclass, field

ELF_MAGIC = b"\x7fELF"

PT_LOAD = 1
PT_DYNAMIC = 2

DT_NULL = 0
DT_NEEDED = 1
DT_STRTAB = 5
DT_STRSZ = 10
DT_SONAME = 14
DT_RPATH = 15
DT_RUNPATH = 29
DT_VERNEED = 0x6FFFFFFE
DT_VERNEEDNUM = 0x6FFFFFFF

#: Libraries whose versions are glibc's own (``GLIBC_x.y``).
GLIBC_LIBRARIES = ("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                   "libutil.so.1", "libresolv.so.2", "libanl.so.1", "ld-linux-x86-64.so.2",
                   "ld-linux-aarch64.so.1", "ld-linux.so.2", "libcrypt.so.1", "libnsl.so.1")

_VERSION_RE = re.compile(r"^([A-Z]+)_(\d+(?:\.\d+)*)$")


class ElfError(ValueError):
    """A file that claims to be ELF but cannot be read as one."""


@dataclass
class ElfInfo:
    """The dynamic-linking facts of one ELF file."""

    path: str
    bits: int                      # 32 or 64
    machine: int                   # e_machine (62 = x86-64, 183 = AArch64)
    soname: str | None = None
    needed: list[str] = field(default_factory=list)
    runpath: list[str] = field(default_factory=list)
    version_needs: dict[str, list[str]] = field(default_factory=dict)

    def versions(self, prefix: str) -> list[tuple[int, ...]]:
        """Every needed version named ``PREFIX_x.y[.z]`` (``GLIBC``,
        ``GLIBCXX``, ``CXXABI``, ``GCC``) as a tuple of ints."""
        out = []
        for names in self.version_needs.values():
            for name in names:
                m = _VERSION_RE.match(name)
                if m and m.group(1) == prefix:
                    out.append(parse_version(m.group(2)))
        return out

    def max_version(self, prefix: str) -> tuple[int, ...] | None:
        found = self.versions(prefix)
        return max(found) if found else None

    def max_glibc(self) -> tuple[int, ...] | None:
        """The newest ``GLIBC_x.y`` any of its symbols needs (None: none)."""
        return self.max_version("GLIBC")


def parse_version(text: str) -> tuple[int, ...]:
    """``'2.28'`` → ``(2, 28)``."""
    return tuple(int(p) for p in text.split("."))


def format_version(version: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in version)


def is_elf(path: str | os.PathLike) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == ELF_MAGIC
    except OSError:
        return False


def read_elf(path: str | os.PathLike) -> ElfInfo | None:
    """The dynamic-linking facts of ``path``; None when it is not an ELF
    file; :class:`ElfError` when it is a damaged one."""
    path = os.fspath(path)
    with open(path, "rb") as fh:
        if fh.read(4) != ELF_MAGIC:
            return None
        size = os.fstat(fh.fileno()).st_size
        if size < 64:
            raise ElfError(f"{path}: truncated ELF header")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            try:
                return _parse(path, data)
            except (struct.error, IndexError, ValueError) as exc:
                if isinstance(exc, ElfError):
                    raise
                raise ElfError(f"{path}: {exc}") from None


# Long: the ELF header, section and dynamic tables read in file order
def _parse(path: str, data) -> ElfInfo:
    ei_class, ei_data = data[4], data[5]
    if ei_class not in (1, 2) or ei_data not in (1, 2):
        raise ElfError(f"{path}: unknown ELF class or byte order")
    is64 = ei_class == 2
    e = "<" if ei_data == 1 else ">"
    machine = struct.unpack_from(e + "H", data, 18)[0]
    if is64:
        phoff = struct.unpack_from(e + "Q", data, 0x20)[0]
        phentsize, phnum = struct.unpack_from(e + "HH", data, 0x36)
        # p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align
        ph_fmt = e + "IIQQQQQQ"
        dyn_fmt, dyn_size = e + "qQ", 16
    else:
        phoff = struct.unpack_from(e + "I", data, 0x1C)[0]
        phentsize, phnum = struct.unpack_from(e + "HH", data, 0x2A)
        # p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
        ph_fmt = e + "IIIIIIII"
        dyn_fmt, dyn_size = e + "iI", 8
    info = ElfInfo(path=path, bits=64 if is64 else 32, machine=machine)

    loads: list[tuple[int, int, int]] = []  # (vaddr, offset, filesz)
    dynamic: tuple[int, int] | None = None
    for i in range(phnum):
        fields = struct.unpack_from(ph_fmt, data, phoff + i * phentsize)
        if is64:
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = fields[:6]
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz = fields[:5]
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:  # a static program: needs nothing
        return info

    def offset_of(vaddr: int) -> int:
        for start, offset, filesz in loads:
            if start <= vaddr < start + filesz:
                return offset + (vaddr - start)
        raise ElfError(f"{path}: address {vaddr:#x} is in no loaded segment")

    entries: list[tuple[int, int]] = []
    offset, filesz = dynamic
    for pos in range(offset, offset + filesz, dyn_size):
        tag, value = struct.unpack_from(dyn_fmt, data, pos)
        if tag == DT_NULL:
            break
        entries.append((tag, value))
    tags: dict[int, int] = {}
    for tag, value in entries:
        tags.setdefault(tag, value)
    if DT_STRTAB not in tags:
        raise ElfError(f"{path}: dynamic segment without a string table")
    strtab = offset_of(tags[DT_STRTAB])
    strsz = tags.get(DT_STRSZ, len(data) - strtab)

    def string(index: int) -> str:
        if index >= strsz:
            raise ElfError(f"{path}: string index {index} outside the string table")
        start = strtab + index
        end = data.find(b"\0", start)
        return bytes(data[start:end]).decode("utf-8", "replace")

    for tag, value in entries:
        if tag == DT_NEEDED:
            info.needed.append(string(value))
        elif tag == DT_SONAME:
            info.soname = string(value)
        elif tag in (DT_RUNPATH, DT_RPATH):
            info.runpath.extend(p for p in string(value).split(":") if p)

    if DT_VERNEED in tags:
        pos = offset_of(tags[DT_VERNEED])
        for _ in range(tags.get(DT_VERNEEDNUM, 0)):
            # Elf_Verneed: vn_version, vn_cnt, vn_file, vn_aux, vn_next
            _version, count, file_index, aux, next_ = struct.unpack_from(e + "HHIII", data, pos)
            names = info.version_needs.setdefault(string(file_index), [])
            apos = pos + aux
            for _ in range(count):
                # Elf_Vernaux: vna_hash, vna_flags, vna_other, vna_name, vna_next
                _hash, _flags, _other, name_index, anext = struct.unpack_from(e + "IHHII", data, apos)
                names.append(string(name_index))
                if not anext:
                    break
                apos += anext
            if not next_:
                break
            pos += next_
    return info
