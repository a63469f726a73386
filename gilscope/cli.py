"""gilscope run | trace | lesson | serve: the command line. Thin: parses, then calls the engine or the web server."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from gilscope.schema import Event, Percentiles, Summary

if TYPE_CHECKING:
    from collections.abc import Callable

    from gilscope.trace.attach import Attacher
    from gilscope.trace.live import LiveFeed
    from gilscope.trace.result import TraceResult

_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6}


def parse_interval(text: str) -> float:
    m = re.fullmatch(r"\s*(-?[0-9]*\.?[0-9]+(?:e-?[0-9]+)?)\s*(s|ms|us|µs)?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"interval {text!r}: write a number with s, ms or us, e.g. 5ms")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def parse_mix(text: str) -> list[dict[str, Any]]:
    """cpu:2,sleep:1,hashlib:2:buffer_bytes=1024 -> thread groups."""
    groups = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, _, rest = part.partition(":")
        fields = rest.split(":") if rest else []
        count = fields[0] if fields and "=" not in fields[0] else "1"
        params = dict(f.split("=", 1) for f in fields if "=" in f)
        try:
            groups.append({"kind": kind, "threads": int(count), "params": {k: float(v) for k, v in params.items()}})
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"mix part {part!r}: {exc}") from exc
    return groups


def describe(s: Summary) -> str:
    """The summary as a few lines for a terminal."""

    def ms(d: Percentiles | None, key: Literal["p50", "p90"] = "p50") -> str:
        value = d[key] if d else None
        return "-" if value is None else f"{value:.3f} ms"

    lines = [
        f"Python {s['python']['version']} (GIL {'on' if s['python']['gil_enabled'] else 'off'}), "
        f"switch interval {(s['interval_s'] or s['interval_set_s']) * 1e3:g} ms, {s['wall_s']:.2f} s",
        f"hand-offs: {s['handoffs']} ({s['handoffs_per_s']}/s), timeline shows {s['timeline_handoffs']}",
        f"slice p50/p90: {ms(s['slice_ms'])} / {ms(s['slice_ms'], 'p90')}",
        f"cores used: {s['cores_used']}   I/O wake latency p50/p90: {ms(s['io_wake_latency_ms'])} / "
        f"{ms(s['io_wake_latency_ms'], 'p90')}",
    ]
    for t in s["threads"]:
        lines.append(
            f"  {t['name']:<12} progress {t['progress']:>9}  cpu {t['cpu_s']:.3f} s  GIL wait {t['gil_wait_s']:.3f} s"
            f"  GIL held {t.get('gil_held_s', 0.0):.3f} s ({t.get('gil_share', 0.0):.0%} of the GIL's time)"
        )
    b = s.get("baseline")
    if b:
        lines.append(
            f"threads vs one thread, {b['pairs']} interleaved pairs: threaded/sequential = "
            f"{b['threaded_over_sequential']} (min {b['ratio_min']}, max {b['ratio_max']}); "
            f"rounds {b['threaded_wall_s']:.3f} s threaded, {b['sequential_wall_s']:.3f} s sequential"
        )
        if "conclusive" in b:  # recorded before the noise was measured: nothing to say
            noise = "unknown" if b.get("noise_pct") is None else f"{b['noise_pct']:g}%"
            res = "unknown" if b.get("resolution_pct") is None else f"{b['resolution_pct']:g}%"
            load = b.get("machine")
            busy = load is not None and load.get("disturbed") is True
            verdict = (
                "conclusive"
                if b["conclusive"]
                else "inconclusive, other processes took CPU while the rounds ran (they bend them unevenly)"
                if busy
                else f"inconclusive, differences under {res} cannot be told apart"
            )
            lines.append(
                f"  noise: identical rounds differed by {noise} (median); the ratio is good to +-{res}: " + verdict
            )
    inst = s["instruments"]
    lines.append(
        f"instruments: locator={inst['locator']} proc_sampler={inst['proc_sampler']} "
        f"schedstat={inst['schedstat']}; sampler {s['sampler']['rate_hz']} Hz, "
        f"{(s['sampler']['cpu_fraction'] or 0) * 100:.1f}% of a core"
    )
    from gilscope.analysis.terminal import holder_lines

    lines += holder_lines(s)
    return "\n".join(lines)


def write_json(target: str, summary: Summary | dict[str, Any]) -> None:
    """The summary (or a lesson's report) as JSON, to a file or to stdout for "-"."""
    text = json.dumps(summary, indent=2)
    if target == "-":
        print(text)
    else:
        with open(target, "w") as f:
            f.write(text + "\n")


def trace_title(program: list[str]) -> str:
    return "gilscope trace: " + " ".join(program)


def cmd_run(args: argparse.Namespace) -> int:
    from gilscope.analysis.summary import RawRun
    from gilscope.experiment.runner import RunFailed, run_experiment
    from gilscope.spec import RunSpec

    try:
        spec = RunSpec(
            mix=args.mix,
            switch_interval_s=args.interval,
            duration_s=args.duration,
            baseline=args.baseline,
            python=args.python,
        )
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(x) for x in err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            print(f"gilscope: invalid spec: {where + ': ' if where else ''}{message}", file=sys.stderr)
        return 2

    def keep_raw(raw: RawRun) -> None:
        if args.raw:
            with open(args.raw, "w") as f:
                json.dump(raw.to_json(), f)

    events: list[Event] = []
    try:
        summary = run_experiment(spec, events.append if args.export else None, keep_raw=keep_raw)
    except RunFailed as exc:
        print(f"gilscope: run failed: {exc}", file=sys.stderr)
        return 1
    if args.export:
        from gilscope.exports.files import write_export

        write_export(args.export, events, spec.model_dump())
    if args.json:
        write_json(args.json, summary)
    if args.json != "-":
        print(describe(summary))
    return 0


TRACE_VALUE_OPTIONS = ("--interval", "--json", "--export", "--timeout")
LIVE_HELP = "show it live in the dashboard of a `gilscope serve` on this machine (default URL: http://127.0.0.1:8000)"
TRACE_FLAGS = ("--save", "--open", "-h", "--help")


def split_trace_argv(words: list[str]) -> tuple[list[str], list[str], str | None, bool]:
    """gilscope trace [options] (-- COMMAND | -m MODULE [args] | SCRIPT [args]): our options, the program's
    words, the module, and whether a command followed --. The program's own options are never ours."""
    opts: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w == "--":
            return opts, words[i + 1 :], None, True
        if w == "-m":
            return opts, words[i + 2 :], (words[i + 1] if i + 1 < len(words) else ""), False
        if w == "--live":  # its URL is optional
            take = 2 if i + 1 < len(words) and words[i + 1].startswith(("http://", "https://")) else 1
            opts += words[i : i + take]
            i += take
        elif w in TRACE_VALUE_OPTIONS:
            opts += words[i : i + 2]
            i += 2
        elif w in TRACE_FLAGS or w.split("=", 1)[0] in (*TRACE_VALUE_OPTIONS, "--live"):
            opts.append(w)
            i += 1
        elif w.startswith("-"):
            opts.append(w)  # argparse says it is unknown
            i += 1
        else:
            return opts, words[i:], None, False
    return opts, [], None, False


def report_trace(result: TraceResult, args: argparse.Namespace) -> None:
    """What `trace` and `attach` print and write once the program is done (or left): the summary to stderr,
    --json, --export (by the file's name: .json Chrome trace, .csv segments, .folded stacks), --save/--open."""
    from gilscope.analysis.trace_summary import describe_trace
    from gilscope.exports.files import write_export
    from gilscope.store import NotSaved, save_trace

    if args.json:
        write_json(args.json, result.summary)
    if args.export:
        write_export(args.export, result.events, title=trace_title(result.record.program))
    print(describe_trace(result.summary), file=sys.stderr)
    if args.save or args.open:
        try:
            run_id = save_trace(result)
        except NotSaved as exc:
            print(f"gilscope: {exc}", file=sys.stderr)
        else:
            url = f"http://127.0.0.1:8000/runs/{run_id}"
            print(f"gilscope: saved as run {run_id}: {url} (with gilscope serve running)", file=sys.stderr)
            if args.open:
                import webbrowser

                webbrowser.open(url)


def cmd_attach(args: argparse.Namespace) -> int:
    """Watches a running program from outside until --duration, its exit or Ctrl-C; --prometheus serves its
    counters at /metrics for as long as it runs."""
    from gilscope.trace.attach import (
        ALWAYS_ON_PERIOD_S,
        ALWAYS_ON_SCAN_S,
        ALWAYS_ON_STACK_HZ,
        DEFAULT_PERIOD_S,
        Attacher,
    )
    from gilscope.trace.program import TraceError

    period = args.period_ms / 1e3 if args.period_ms else (ALWAYS_ON_PERIOD_S if args.prometheus else DEFAULT_PERIOD_S)
    attacher = Attacher(args.pid, args.duration, period)
    hooks: list[Callable[[Attacher], None]] = []
    if args.prometheus:
        from gilscope.trace.metrics import serve_metrics

        try:
            hooks.append(serve_metrics(args.prometheus))
        except (OSError, ValueError) as exc:
            print(f"gilscope: --prometheus {args.prometheus}: {exc}", file=sys.stderr)
            return 2
        attacher.keep_history = bool(args.json or args.export or args.save or args.open or args.live)
        if not attacher.keep_history:  # left on: cheap ticks, few stacks
            attacher.scan_s, attacher.stack_hz = ALWAYS_ON_SCAN_S, ALWAYS_ON_STACK_HZ
        print(f"gilscope: serving http://{args.prometheus}/metrics while process {args.pid} runs", file=sys.stderr)
    feed = None
    try:
        if args.live:
            feed = open_live(args.live, cmdline_of(args.pid), args.pid)
            hooks.append(feed.on_attacher_tick)
        if hooks:

            def every_tick(att: Attacher) -> None:
                for hook in hooks:
                    hook(att)

            attacher.on_tick = every_tick
        result = attacher.run()
    except TraceError as exc:
        print(f"gilscope: {exc}", file=sys.stderr)
        if feed is not None:
            feed.finish(None, str(exc))
        return 2
    if feed is not None:
        feed.finish(result)
    report_trace(result, args)
    return 0


def cmdline_of(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a] or [f"process {pid}"]
    except OSError:
        return [f"process {pid}"]


def open_live(url: str, program: list[str], pid: int) -> LiveFeed:
    """--live: the look announced to the dashboard on this machine (TraceError when none answers)."""
    from gilscope.trace.live import LiveFeed

    feed = LiveFeed(url, program, pid)
    page = feed.open()
    print(f"gilscope: live at {page}", file=sys.stderr)
    return feed


def cmd_trace(args: argparse.Namespace) -> int:
    """Runs the user's program under the microscope; its output and exit status pass through, our report goes
    to stderr (and --json, --export, --save)."""
    from gilscope.trace.program import TraceError, from_command, from_module, from_script
    from gilscope.trace.tracer import Tracer, trace

    try:
        if args.module is not None:
            if not args.module:
                raise TraceError("-m needs a module name")
            program = from_module(args.module, args.words)
        else:
            program = from_command(args.words) if args.dashed else from_script(args.words)
        if args.live:
            feed = open_live(args.live, program.argv(), 0)
            tracer = Tracer(program, interval_s=args.interval, timeout_s=args.timeout, reap_orphans=True)
            tracer.on_tick = feed.on_tracer_tick
            try:
                result = tracer.run()
            except TraceError as exc:
                feed.finish(None, str(exc))
                raise
            feed.finish(result)
        else:
            result = trace(program, interval_s=args.interval, timeout_s=args.timeout, reap_orphans=True)
    except TraceError as exc:
        print(f"gilscope: {exc}", file=sys.stderr)
        return 2
    report_trace(result, args)
    if result.summary.get("trace", {}).get("exit", {}).get("how") == "timeout":
        return 124  # as timeout(1) does
    return result.exit_code


def run_figures(summary: dict[str, Any]) -> dict[str, Any]:
    """A run's key figures, for a lesson's run list (the verdict's own table has the rest)."""
    slice_ms, wake = summary.get("slice_ms") or {}, summary.get("io_wake_latency_ms") or {}
    base, net = summary.get("baseline") or {}, summary.get("network") or {}
    out = {
        "cores_used": summary.get("cores_used"),
        "handoffs_per_s": summary.get("handoffs_per_s"),
        "slice_p50_ms": slice_ms.get("p50"),
        "wake_p50_ms": wake.get("p50"),
        "threaded_over_sequential": base.get("threaded_over_sequential"),
        "requests_per_s": net.get("requests_per_s"),
    }
    return {k: v for k, v in out.items() if v is not None}


def cmd_lesson(args: argparse.Namespace) -> int:
    """Runs a lesson's plan here, without a server: the page's plan (gilscope.lessons.plan), each run as `gilscope
    run` runs it, then the page's judge(). Progress goes to stderr; the verdict to stdout (stderr with --json -)."""
    import uuid

    from gilscope.config import pythons
    from gilscope.experiment.runner import RunFailed, run_experiment
    from gilscope.lessons import LESSON, VERDICT_NAMES, judge, lessons_for, plan, results
    from gilscope.lessons.plan import sweep_key
    from gilscope.locale import _, language
    from gilscope.spec import RunSpec
    from gilscope.web.pythons import describe_pythons

    described = describe_pythons()
    lessons = lessons_for(pythons(), {d["path"]: d.get("gil_enabled") for d in described if d.get("ok")})
    lid = args.lesson_id.upper()
    lesson = lessons.get(lid)
    if lesson is None:
        print(f"gilscope: no lesson {args.lesson_id!r}; the lessons are {', '.join(lessons)}", file=sys.stderr)
        return 2
    if args.sweep and lesson.sweep is None:
        print(f"gilscope: lesson {lid} has no sweep", file=sys.stderr)
        return 2
    steps = plan(lesson, args.repeats, sweep=args.sweep)
    out = sys.stderr if args.json == "-" else sys.stdout
    outcomes: list[dict[str, Any] | None] = []
    runs: list[dict[str, Any]] = []
    with language(args.lang):
        labels = {r.key: str(r.label) for r in lesson.runs}
        for i, step in enumerate(steps):
            label = labels.get(step.key) or _("switch interval {ms} ms").format(ms=sweep_key(step.interval_s or 0)[:-2])
            print(
                _("{id}: run {i} of {n} (repeat {r} of {R}): {label}").format(
                    id=lid, i=i + 1, n=len(steps), r=step.repeat + 1, R=args.repeats, label=label
                ),
                file=sys.stderr,
                flush=True,
            )
            run: dict[str, Any] = {"id": uuid.uuid4().hex[:12], "key": step.key, "repeat": step.repeat, "label": label}
            if step.interval_s is not None:
                run["interval_s"] = step.interval_s
            try:
                summary: dict[str, Any] = dict(run_experiment(RunSpec.model_validate(step.spec)))
            except (RunFailed, ValidationError) as exc:
                outcomes.append({"error": str(exc)})
                runs.append({**run, "status": "failed", "error": str(exc)})
                print("  " + _("failed: {e}").format(e=exc), file=sys.stderr)
                continue
            outcomes.append(summary)
            runs.append({**run, "status": "done", "figures": run_figures(summary)})
        report: dict[str, Any] = {"id": lid, "kind": steps[0].kind if steps else LESSON, "times": args.repeats}
        if args.sweep:
            report["verdict"] = None
        else:
            verdict = judge(lid, results(steps, outcomes), args.lang)
            report.update(verdict.model_dump(mode="json"))
            print(_("Verdict: {verdict}").format(verdict=_(VERDICT_NAMES[verdict.verdict])), file=out)
            print(f"{verdict.figure_label}: {verdict.figure}", file=out)
            for k, rep in enumerate(verdict.repeats, 1):
                print(
                    "  "
                    + _("repeat {n}: {verdict}, {figure}").format(
                        n=k, verdict=_(VERDICT_NAMES[rep.verdict]), figure=rep.figure
                    ),
                    file=out,
                )
            print(verdict.text, file=out)
        report["runs"] = runs
        for run in runs:
            figures = ", ".join(
                f"{k} {v:g}" if isinstance(v, float | int) else f"{k} {v}" for k, v in run.get("figures", {}).items()
            )
            print(
                f"  {run['id']}  {run['key']:<12} #{run['repeat'] + 1}  {run['status']:<6} {figures or run.get('error', '')}",
                file=out,
            )
    if args.json:
        write_json(args.json, report)
    return 0 if any(r["status"] == "done" for r in runs) else 1


def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if n < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return n


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gilscope.web.app import create_app
    from gilscope.web.clients import trusted_proxy

    proxy = trusted_proxy()  # proxy headers are believed only from the proxy the environment names
    uvicorn.run(
        create_app(),
        host=args.host,
        port=args.port,
        log_level="warning",
        proxy_headers=proxy is not None,
        forwarded_allow_ips=proxy or "",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="gilscope", description="See CPython's GIL at work.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run one experiment and print what the GIL did")
    r.add_argument("--mix", type=parse_mix, required=True, help="e.g. cpu:2,sleep:1 or hashlib:2:buffer_bytes=1024")
    r.add_argument("--interval", type=parse_interval, default=0.005, help="switch interval, e.g. 5ms, 200us")
    r.add_argument("--duration", type=float, default=2.0, help="seconds")
    r.add_argument("--baseline", action="store_true", help="also run the same work in one thread")
    r.add_argument("--python", default=None, help="interpreter to run the experiment under")
    r.add_argument("--json", default=None, metavar="FILE", help="write the summary as JSON (- for stdout)")
    r.add_argument("--raw", default=None, metavar="FILE", help="save the raw measurements (re-summarizable)")
    r.add_argument(
        "--export",
        default=None,
        metavar="FILE",
        help="write the timeline: FILE.csv as segments (thread, state, start_ms, end_ms), else a Chrome trace "
        "(JSON; opens in the Perfetto UI and speedscope)",
    )
    r.set_defaults(func=cmd_run)
    t = sub.add_parser(
        "trace",
        help="run your own program and show what the GIL did in it",
        usage="gilscope trace [options] (-- python script.py [args] | script.py [args] | -m module [args])",
    )
    t.add_argument(
        "--interval",
        type=parse_interval,
        default=None,
        help="switch interval for the program, e.g. 5ms (default: the interpreter's own)",
    )
    t.add_argument("--json", default=None, metavar="FILE", help="write the summary as JSON (- for stdout)")
    t.add_argument(
        "--export", default=None, metavar="FILE", help="FILE.json Chrome trace, .csv segments, .folded stacks"
    )
    t.add_argument("--save", action="store_true", help="keep the run in the dashboard's history")
    t.add_argument("--open", action="store_true", help="save, then open the run's page in a browser")
    t.add_argument("--timeout", type=float, default=None, metavar="S", help="stop the program after S seconds")
    t.add_argument("--live", nargs="?", const="http://127.0.0.1:8000", default=None, metavar="URL", help=LIVE_HELP)
    t.set_defaults(func=cmd_trace, words=[], module=None, dashed=False)
    a = sub.add_parser("attach", help="watch a running Python program's GIL from outside (by PID)")
    a.add_argument("pid", type=int, help="the process to watch (CPython 3.11 or newer, with a GIL)")
    a.add_argument(
        "--duration", type=float, default=None, metavar="S", help="seconds (default: until it ends or Ctrl-C)"
    )
    a.add_argument("--json", default=None, metavar="FILE", help="write the summary as JSON (- for stdout)")
    a.add_argument(
        "--export", default=None, metavar="FILE", help="FILE.json Chrome trace, .csv segments, .folded stacks"
    )
    a.add_argument("--save", action="store_true", help="keep the look in the dashboard's history")
    a.add_argument("--open", action="store_true", help="save, then open its page in a browser")
    a.add_argument(
        "--prometheus", default=None, metavar="HOST:PORT", help="serve counters at /metrics (always-on rate)"
    )
    a.add_argument("--live", nargs="?", const="http://127.0.0.1:8000", default=None, metavar="URL", help=LIVE_HELP)
    a.add_argument("--period-ms", type=float, default=None, help="sample period (default 0.5, or 20 with --prometheus)")
    a.set_defaults(func=cmd_attach)
    from gilscope.config import limits

    le = sub.add_parser("lesson", help="run a lesson (a claim of the notes) here and print its verdict")
    le.add_argument("lesson_id", metavar="ID", help="the claim, C1..C10")
    le.add_argument("--sweep", action="store_true", help="run the lesson's sweep of the switch interval instead")
    le.add_argument(
        "--repeats",
        type=positive_int,
        default=limits().lesson_repeats,
        help="how many times to run each run (default: GILSCOPE_LESSON_REPEATS, %(default)s)",
    )
    le.add_argument("--json", default=None, metavar="FILE", help="write the verdict and runs as JSON (- for stdout)")
    le.add_argument("--lang", choices=("en", "uk"), default="en", help="the verdict's language")
    le.set_defaults(func=cmd_lesson)
    s = sub.add_parser("serve", help="start the dashboard")
    import os

    s.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    s.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    s.set_defaults(func=cmd_serve)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["trace"]:  # the program's words are never parsed as ours
        opts, words, module, dashed = split_trace_argv(argv[1:])
        args = p.parse_args(["trace", *opts])
        args.words, args.module, args.dashed = words, module, dashed
    else:
        args = p.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
