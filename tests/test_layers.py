"""Layers import one way: records and schema import nothing of the project; analysis and lessons import no
engine or web code; the engine imports no web code; only web/ imports FastAPI; the worker stays stdlib-only."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gilscope"
WEB_STACK = {"fastapi", "starlette", "uvicorn", "jinja2"}
STDLIB = set(sys.stdlib_module_names)


def imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def modules(sub: str) -> list[Path]:
    p = PACKAGE / sub
    return [p] if p.suffix == ".py" else sorted(p.rglob("*.py"))


@pytest.mark.parametrize("sub", ["records.py", "schema.py"])
def test_neutral_modules_import_nothing_of_the_project(sub):
    for path in modules(sub):
        assert not {m for m in imports(path) if m.startswith("gilscope")}, path


@pytest.mark.parametrize("sub", ["analysis", "lessons"])
def test_pure_core_imports_no_engine_and_no_web(sub):
    for path in modules(sub):
        bad = {
            m
            for m in imports(path)
            if m.startswith(("gilscope.engine", "gilscope.web")) or m.split(".")[0] in WEB_STACK
        }
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


@pytest.mark.parametrize(
    "sub", ["engine", "analysis", "lessons", "workloads", "records.py", "schema.py", "spec.py", "config.py"]
)
def test_only_the_web_layer_imports_the_web_stack(sub):
    for path in modules(sub):
        bad = {m for m in imports(path) if m.startswith("gilscope.web") or m.split(".")[0] in WEB_STACK}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_worker_needs_only_the_stdlib_and_its_own_package():
    for path in [
        PACKAGE / "engine" / "worker.py",
        PACKAGE / "engine" / "locate.py",
        PACKAGE / "records.py",
        *modules("workloads"),
    ]:
        for m in imports(path):
            top = m.split(".")[0]
            assert top in STDLIB or top == "gilscope" or (top == "numpy" and path.name == "release.py"), (path, m)


def test_importing_the_engine_loads_no_web_package():
    code = (
        "import sys, gilscope, gilscope.engine.runner, gilscope.analysis.summary, gilscope.cli;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {WEB_STACK!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "[]"
