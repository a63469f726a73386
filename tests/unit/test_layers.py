"""Layers import one way, as CONTRIBUTING.md's table says: the test reads that very table, so the document and
the check cannot drift apart. Also: only web/ imports the web stack and the children's code stays stdlib-only.
(That importing a pipeline loads no web package is asked of a fresh interpreter: tests/integration/test_imports.py.)"""

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "gilscope"
WEB_STACK = {"fastapi", "starlette", "uvicorn", "jinja2"}
STDLIB = set(sys.stdlib_module_names)


def layer_table() -> dict[str, set[str] | None]:
    """unit (a top-level module or package of gilscope) -> the units it may import; None: anything."""
    text = (ROOT / "CONTRIBUTING.md").read_text()
    table = text.split("<!-- layers:", 1)[1].split("\n\n", 1)[0]
    out: dict[str, set[str] | None] = {}
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        paths = re.findall(r"`gilscope/([a-z_]+)(?:\.py|/)`", cells[0])
        if len(cells) < 3 or not paths:
            continue
        allowed = cells[-1]
        for p in paths:
            out[p] = None if allowed == "*" else set() if allowed == "-" else {a.strip() for a in allowed.split(",")}
    return out


def unit_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imports(path: Path) -> set[str]:
    """Every gilscope module path imported anywhere in the file (lazy and type-only imports too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            base = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
            out.add(".".join(base) + ("." + node.module if node.module else ""))
    return out


def modules(sub: str) -> list[Path]:
    p = PACKAGE / sub
    return [p] if p.suffix == ".py" else sorted(p.rglob("*.py"))


def test_every_part_of_the_package_is_in_the_table():
    table = layer_table()
    units = {unit_of(p) for p in PACKAGE.rglob("*.py")}
    assert units <= set(table), f"not in CONTRIBUTING.md's table: {sorted(units - set(table))}"
    assert {"observe", "experiment", "trace"} <= set(table)
    assert not (PACKAGE / "engine").exists()


def test_imports_follow_the_table():
    table = layer_table()
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = unit_of(path)
        allowed = table[unit]
        if allowed is None:
            continue
        for m in imports(path):
            parts = m.split(".")
            if parts[0] != "gilscope" or len(parts) < 2 or parts[1] == unit:
                continue
            if parts[1] not in allowed:
                bad.append(f"{path.relative_to(PACKAGE)} imports {m}")
    assert not bad, bad


def test_the_pipelines_and_the_observer_stay_apart():
    table = layer_table()
    for a, b in (("experiment", "trace"), ("trace", "experiment"), ("observe", "experiment"), ("observe", "trace")):
        assert b not in (table[a] or {b}), f"{a} may import {b}"
    for unit in ("observe", "experiment", "trace"):
        assert not {"store", "exports", "web"} & (table[unit] or {"web"}), unit


@pytest.mark.parametrize("sub", ["observe", "experiment", "trace", "analysis", "lessons", "workloads", "store"])
def test_only_the_web_layer_imports_the_web_stack(sub):
    for path in modules(sub):
        bad = {m for m in imports(path) if m.startswith("gilscope.web") or m.split(".")[0] in WEB_STACK}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_children_need_only_the_stdlib_and_their_own_package():
    for path in [
        PACKAGE / "experiment" / "worker.py",
        PACKAGE / "experiment" / "protocol.py",
        PACKAGE / "observe" / "locate.py",
        PACKAGE / "observe" / "child.py",
        PACKAGE / "observe" / "stacks.py",
        PACKAGE / "observe" / "scratch.py",
        PACKAGE / "trace" / "bootstrap.py",
        PACKAGE / "trace" / "__init__.py",
        PACKAGE / "records.py",
        *modules("workloads"),
    ]:
        for m in imports(path):
            top = m.split(".")[0]
            assert top in STDLIB or top == "gilscope" or (top == "numpy" and path.name == "release.py"), (path, m)
