"""Where another process keeps `_PyRuntime`: the dynamic symbol of its executable or of the libpython it
mapped (pyelftools reads the ELF file), moved by the load address /proc/<pid>/maps gives."""

from __future__ import annotations

import os
from dataclasses import dataclass

SYMBOL = "_PyRuntime"


@dataclass(frozen=True)
class Mapping:
    path: str
    start: int
    offset: int


def mappings(pid: int) -> list[Mapping]:
    """File-backed mappings of pid, in address order (PermissionError when we may not look)."""
    out = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            fields = line.split(maxsplit=5)
            if len(fields) < 6 or not fields[5].startswith("/"):
                continue
            lo = int(fields[0].split("-")[0], 16)
            out.append(Mapping(fields[5].strip(), lo, int(fields[2], 16)))
    return out


def _symbol(path: str) -> tuple[int, int, bool] | None:
    """(symbol value, first loadable segment's vaddr, position-independent) of _PyRuntime in the file."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile

    try:
        with open(path, "rb") as f:
            elf = ELFFile(f)
            value = None
            for name in (".dynsym", ".symtab"):
                table = elf.get_section_by_name(name)
                if table is None:
                    continue
                syms = table.get_symbol_by_name(SYMBOL)  # type: ignore[attr-defined]
                if syms:
                    value = int(syms[0]["st_value"])
                    break
            if value is None:
                return None
            first = min(int(s["p_vaddr"]) - int(s["p_offset"]) for s in elf.iter_segments() if s["p_type"] == "PT_LOAD")
            return value, first, elf["e_type"] == "ET_DYN"
    except (OSError, ELFError):
        return None


def runtime_address(pid: int) -> tuple[int, str] | str:
    """The address of `_PyRuntime` in pid, and the file that defines it; or why it was not found."""
    try:
        maps = mappings(pid)
    except PermissionError:
        raise
    except OSError as exc:
        return f"cannot read /proc/{pid}/maps: {exc.strerror}"
    seen: list[str] = []
    for m in maps:
        if m.path in seen:
            continue
        seen.append(m.path)
        base_name = os.path.basename(m.path)
        if not (base_name.startswith(("python", "libpython")) or m.path == os.path.realpath(f"/proc/{pid}/exe")):
            continue
        path = m.path if os.path.exists(m.path) else f"/proc/{pid}/root{m.path}"
        found = _symbol(path)
        if found is None:
            continue
        value, first, pie = found
        if not pie:
            return value, m.path
        start = min(x.start - x.offset for x in maps if x.path == m.path)
        return start - first + value, m.path
    return f"no {SYMBOL} symbol in the program's executable or any libpython it loaded"
