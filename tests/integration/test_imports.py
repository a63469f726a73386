"""What importing a module loads, asked of a fresh interpreter (a child): the pipelines load no web package and
`import gilscope` stays light."""

import subprocess
import sys

WEB_STACK = {"fastapi", "starlette", "uvicorn", "jinja2"}


def test_importing_the_pipelines_loads_no_web_package():
    code = (
        "import sys, gilscope, gilscope.experiment.runner, gilscope.trace.tracer, gilscope.analysis.summary, "
        "gilscope.analysis.trace_summary, gilscope.cli, gilscope.engine;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {WEB_STACK!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "[]"


def test_gilscope_trace_stays_callable_once_the_trace_package_is_imported():
    code = "import gilscope; f = gilscope.trace; import gilscope.trace.tracer; print(callable(f), callable(gilscope.trace))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.split() == ["True", "True"]


def test_import_gilscope_stays_light():
    code = (
        "import sys, gilscope; heavy = {'IPython', 'plotly', 'fastapi', 'pydantic', 'gilscope.observe', "
        "'gilscope.experiment', 'gilscope.trace', 'sqlite3', 'uvicorn'}; print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "[]"
    assert callable(__import__("gilscope").trace)
