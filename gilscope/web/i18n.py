"""The web's side of translation: which language a request wants, the page scripts' string table, and gettext
in the page templates. The strings themselves live in the gettext catalogs (gilscope.locale).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from gilscope.locale import DEFAULT, LANGS, N_, Message, forms, lazy_ngettext, translation

Lang = Literal["en", "uk"]

# The page scripts' table: key -> English msgid, sent as window.T translated (table()); the templates' own
# strings are not here, they are translated where the page is rendered ({{ _("...") }}). A counted message (its
# lazy_ngettext count is a placeholder: the page supplies the real one) is sent as the list of the language's
# plural forms, in the catalog's order: en [one, other], uk [one, few, many].
JS_STRINGS: dict[str, str | Message] = {
    "builder": N_("Threads"),
    "releases_yes": N_("releases the GIL"),
    "releases_no": N_("keeps the GIL"),
    "releases_param": N_("releases the GIL from 2 KiB"),
    "interval": N_("Switch interval (sys.setswitchinterval)"),
    "duration": N_("Duration, s"),
    "baseline": N_("Also run the same work in one thread"),
    "run": N_("Run"),
    "cancel": N_("Cancel"),
    "status_idle": N_("Ready. Choose threads and press Run."),
    "status_queued": N_("Waiting in the queue: position {pos}."),
    "status_running": N_("Running: {t} s of {d} s."),
    "status_baseline": N_("Running the same work in one thread for comparison."),
    "status_done": N_("Done."),
    "status_failed": N_("Failed: {e}"),
    "status_cancelled": N_("Cancelled."),
    "status_live": N_("Watching live: {t} s."),
    "live_title": N_("Watched live: counters since the start"),
    "live_hint": N_(
        "The timeline keeps the last {w} s and follows the newest; the figures below count from the start of the look."
    ),
    "live_elapsed": N_("watched"),
    "live_handoffs": N_("hand-offs since the start"),
    "live_rate": N_("hand-offs / s since the start"),
    "live_long": N_("long holds"),
    "live_threads": N_("Seconds in each state, per thread"),
    "live_blocked": N_("blocked (I/O, sleep, locks)"),
    "live_holders": N_("Where the GIL is held most so far"),
    "live_long_title": N_("Long holds, newest first"),
    "live_code": N_("code"),
    "live_held_s": N_("held, s"),
    "live_share": N_("share of the time"),
    "live_by": N_("threads"),
    "live_held_ms": N_("held, ms"),
    "live_at_s": N_("at, s"),
    "live_in_c": N_("(in a C call)"),
    "live_no_stacks": N_("No holders: the stacks cannot be read ({why})."),
    "live_none_yet": N_("No stack samples yet."),
    "live_no_long": N_("No long holds so far."),
    "status_error": N_("The server refused: {e}"),
    "no_threads": N_("Choose at least one thread."),
    "timeline": N_("Who holds the GIL: one lane per thread"),
    "timeline_hint": N_(
        "Drag to zoom, double-click to reset. The top lane is the interpreter's own GIL state, "
        "sampled from outside; thread lanes come from in-thread probes."
    ),
    "st_holding": N_("holding the GIL"),
    "st_waiting": N_("waiting (for the GIL or a core)"),
    "st_io": N_("blocked in I/O or sleep"),
    "st_native": N_("native code without the GIL"),
    "lane_holder": N_("GIL holder (sampled)"),
    "holder_free": N_("GIL free"),
    "holder_other": N_("another thread"),
    # the timeline's window, overview, tooltip and holder lane; the after-run bar; presentation mode (h-timeline)
    "overview": N_("The whole run: drag or click here to move the window below"),
    "span_one": N_("1 interval"),
    "span_ten": N_("10 intervals"),
    "span_all": N_("all of it"),
    "span_follow": N_("follow the newest"),
    "img_button": N_("Image for slides (PNG)"),
    "img_title": N_(
        "Download one PNG of this view: its title line, its figures, the timeline and the other plots, stacked."
    ),
    "img_making": N_("Making the image…"),
    "img_done": N_("The image was downloaded."),
    "img_failed": N_("The image could not be made: {e}"),
    "img_run": N_("Run {id}: {status}"),
    "range_title": N_("The window's own figures"),
    "range_whole": N_(
        "The whole run is shown. Narrow the window (drag across the timeline, the span buttons, W and S, the "
        "overview) for the figures of that stretch alone."
    ),
    "range_source": N_(
        "From {a} to {b} ({w}). Counted in this page from the timeline's segments (each thread's states as its "
        "probes saw them), cut at the window's edges; not taken from the run's summary."
    ),
    "range_too_many": N_("The window holds {n} segments, too many to count here without slowing the page: narrow it."),
    "range_handoffs": N_("Hand-offs the timeline shows in the window"),
    "range_counter": N_("the switch counter from the tick at {from} to the tick at {to}: {n}"),
    "range_held": N_("held the GIL"),
    "range_waiting": N_("waited for the GIL"),
    "range_other": N_("other (I/O, sleep, native code)"),
    "range_rest": N_(
        "Each share is of the window's length; what a thread's three shares leave of the whole is time it has no segment for "
        "(not started yet, ended, or not seen)."
    ),
    "keys_hint": N_("Keys: W and S zoom, A and D move (when no field is being typed in)."),
    "window_now": N_("Showing {w} of {t}."),
    "ticks_after": N_("{u} after {t}"),
    "tip_state": N_("state"),
    "tip_start": N_("start"),
    "tip_duration": N_("duration"),
    "tip_before": N_("hand-off before"),
    "tip_after": N_("hand-off after"),
    "tip_held_until": N_("{who} held it until {t} ms"),
    "tip_takes_at": N_("{who} takes it at {t} ms"),
    "tip_holder_is": N_("sampled holder: {who}"),
    "tip_none": N_("none seen"),
    "tip_until": N_("{who} until {t} ms"),
    "tip_from": N_("{who} from {t} ms"),
    "no_sample": N_("no sample (the sampler missed it)"),
    "sample_tick": N_("a read that saw the holder change"),
    "holder_seen": lazy_ngettext(
        "The holder lane saw {seen} of {n} hand-off; one read every {p} ms.",
        "The holder lane saw {seen} of {n} hand-offs; one read every {p} ms.",
        0,
    ),
    "holder_folded": N_(
        "The holder lane is folded: the median slice ({m} ms) is shorter than two reads of the sampler "
        "({p} ms each), so most hand-offs fall between two reads. The thread lanes below come from probes and are exact."
    ),
    "holder_unfold": N_("Show the holder lane anyway"),
    "holder_fold": N_("Fold the holder lane"),
    "lane_folded": N_("GIL holder (folded)"),
    "bar_permalink": N_("Permalink"),
    "bar_download": N_("Download:"),
    "bar_compare": N_("Compare with the previous run"),
    "bar_again": N_("Run again at"),
    "bar_again_go": N_("Go"),
    "present": N_("Presentation mode"),
    "present_change": N_("Change"),
    "progress": N_("Progress: units of work done by each thread"),
    "time_s": N_("time, s"),
    "time_ms": N_("time, ms"),
    "units": N_("units done"),
    "fig_handoffs": N_("hand-offs / s"),
    "fig_handoffs_hint": N_("From the interpreter's own switch counter."),
    "fig_slice": N_("median slice"),
    "fig_slice_hint": N_("How long one thread kept the GIL, against the interval set ({i} ms)."),
    "fig_cores": N_("cores used"),
    "fig_cores_hint": N_("Process CPU time / wall time. About 1 means one thread ran at a time."),
    "fig_wake": N_("I/O wake latency p50"),
    "fig_wake_hint": N_("From the moment a sleep or socket answer was ready to the moment the thread ran again."),
    "fig_coverage": N_("hand-offs drawn"),
    "fig_coverage_hint": N_("How many of the counted hand-offs the timeline shows exactly."),
    "fig_sampler": N_("observer cost"),
    "fig_sampler_hint": N_("CPU of the sampling process, as a share of one core, and its sampling rate."),
    "none": N_("none"),
    "after": N_("After the run"),
    "hist_slice": N_("Slice lengths, ms"),
    "hist_wake": N_("Wake latency, ms"),
    "count": N_("count"),
    "compare": N_("Threads vs one thread"),
    "threaded": N_("threaded"),
    "sequential": N_("one thread"),
    "wall_s": N_("wall time, s"),
    "reading": N_("What happened"),
    "instruments": N_("Instruments"),
    "inst_locator": N_("GIL state located in the interpreter"),
    "inst_sampler": N_("GIL read from outside via /proc"),
    "inst_schedstat": N_("per-thread CPU from schedstat"),
    "missing": N_("missing"),
    "thread": N_("thread"),
    "kind": N_("kind"),
    "cpu_s": N_("CPU, s"),
    "gil_wait_s": N_("GIL wait, s"),
    "units_per_s": N_("units / s"),
    "matrix": N_("Hand-offs from -> to"),
    "now_none": N_("Nothing is running. The next run anyone starts appears here."),
    "queue_len": lazy_ngettext("{n} run waiting", "{n} runs waiting", 0),
    "claim_notes": N_("In the notes (Ukrainian)"),
    "claim_en": N_("In English"),
    "experiment": N_("Experiment"),
    "run_lesson": N_("Run the lesson"),
    "run_sweep": N_("Sweep the interval"),
    "verdict": N_("Verdict"),
    "v_confirmed": N_("confirmed"),
    "v_nuanced": N_("nuanced"),
    "v_outdated": N_("outdated"),
    "v_inconclusive": N_("inconclusive"),
    "lesson_run_n": N_("Run {i} of {n}: {label}"),
    "sweep_title": N_("Across switch intervals"),
    "interval_ms": N_("switch interval, ms"),
    "throughput": N_("throughput, units/s"),
    "wake_ms": N_("wake latency p50, ms"),
    "requests_per_s": N_("requests / s"),
    "free_note": N_("free-threaded build: there is no GIL to hand off; counts are not shown."),
    "python": N_("Python"),
    "col_label": N_("run"),
    "col_kind": N_("kind"),
    "col_cores_used": N_("cores used"),
    "col_cpu_share": N_("CPU thread's share of its speed alone"),
    "col_cpu_threads": N_("CPU threads"),
    "col_cpu_units_per_s": N_("CPU thread units/s"),
    "col_expected": N_("increments expected"),
    "col_actual": N_("counter at the end"),
    "col_lost": N_("lost"),
    "col_lost_pct": N_("lost, %"),
    "col_refcount_delta": N_("refcount change"),
    "col_handoffs_per_s": N_("hand-offs/s"),
    "col_interval_ms": N_("interval, ms"),
    "col_threads": N_("threads"),
    "col_notes_say_releases": N_("notes say it releases"),
    "col_released": N_("ran in parallel"),
    "col_requests_per_s": N_("requests/s"),
    "col_p50_ms": N_("latency p50, ms"),
    "col_p99_ms": N_("latency p99, ms"),
    "col_units_per_s_alone": N_("units/s alone"),
    "col_units_per_s_beside_cpu": N_("units/s beside a CPU thread"),
    "col_wake_p50_ms_alone": N_("wake p50 alone, ms"),
    "col_wake_p50_ms_beside_cpu": N_("wake p50 beside a CPU thread, ms"),
    "yes": N_("yes"),
    "u_ms": N_("ms"),
    "u_s": N_("s"),
    "u_hz": N_("Hz"),
    "no": N_("no"),
    "retrying": N_("The queue is busy: trying again in a few seconds."),
    "lesson_done": N_("All runs done: the verdict is below."),
    "sweep_run": N_("Sweep: {i} ms ({k} of {n})"),
    "c8_plot": N_("Echo server: requests/s by switch interval"),
    "cpu_n": lazy_ngettext("{n} CPU thread", "{n} CPU threads", 0),
    "dropped": lazy_ngettext(
        "{n} segment was too many to send and is missing from the timeline.",
        "{n} segments were too many to send and are missing from the timeline.",
        0,
    ),
    # the spread of a figure, and the machine's load (runview.js, lessons.js)
    "ratio_hint": lazy_ngettext(
        "Threads / one thread: {r}, the median of {n} interleaved pair (a threaded round, then the same units in one "
        "thread). Whiskers from the lowest pair to the highest ({lo}–{hi}), a dot per pair. Above 1: the threads "
        "took longer.",
        "Threads / one thread: {r}, the median of {n} interleaved pairs (a threaded round, then the same units in one "
        "thread). Whiskers from the lowest pair to the highest ({lo}–{hi}), a dot per pair. Above 1: the threads "
        "took longer.",
        0,
    ),
    "ratio_hint_one": N_("Threads / one thread: {r}. Above 1: the threads took longer."),
    "ratio_inconclusive": N_(
        "Inconclusive: the machine's own speed varied {noise} between identical rounds, so differences under "
        "{res} cannot be told apart. This ratio says neither faster nor slower."
    ),
    "ratio_inconclusive_busy": N_(
        "Inconclusive: other processes took CPU while the rounds ran, and a busy machine does not slow both kinds "
        "of round alike. This ratio says neither faster nor slower: run it again on a quiet machine."
    ),
    "ratio_inconclusive_res": N_(
        "Inconclusive: differences under {res} cannot be told apart. This ratio says neither faster nor slower."
    ),
    "ratio_noise": N_("The machine's own noise: identical rounds differed by {noise}; the ratio is good to ±{res}."),
    "sweep_point_inconclusive": N_(
        "inconclusive: identical rounds differed by {noise}, differences under {res} cannot be told apart"
    ),
    "pair_n": N_("pair {i}"),
    "machine_busy": lazy_ngettext(
        "Other processes used {x} of the machine's {n} core while this run ran: its hand-offs, cores used and "
        "timings may be disturbed.",
        "Other processes used {x} of the machine's {n} cores while this run ran: its hand-offs, cores used and "
        "timings may be disturbed.",
        0,
    ),
    "machine_busy_baseline": lazy_ngettext(
        "Other processes used {x} of the machine's {n} core while the same work ran in one thread: the threads / "
        "one thread comparison may be disturbed.",
        "Other processes used {x} of the machine's {n} cores while the same work ran in one thread: the threads / "
        "one thread comparison may be disturbed.",
        0,
    ),
    "machine_unknown": N_(
        "How busy the machine was during this run is unknown: other programs may have bent its figures."
    ),
    "lesson_run_rep": N_("Run {i} of {n} (repeat {r} of {R}): {label}"),
    "sweep_run_rep": N_("Sweep: {i} ms ({k} of {n}), repeat {r} of {R}"),
    "sweep_hint": lazy_ngettext(
        "Each point: the median of {n} repeat; whiskers from the lowest repeat to the highest.",
        "Each point: the median of {n} repeats; whiskers from the lowest repeat to the highest.",
        0,
    ),
    "sweep_ratio_title": N_("Threads / one thread across switch intervals"),
    "sweep_ratio_hint": N_(
        "Each point: the median of the interleaved pairs (a threaded round, then the same units in one thread) "
        "measured at that interval, over every repeat; whiskers from the lowest pair to the highest. Above the "
        "dotted line at 1, the threads took longer."
    ),
    "repeats": N_("Repeats"),
    "repeat_n": N_("repeat {n}"),
    "repeats_disagree": N_(
        "The repeats disagree: the deciding figure's spread crosses a threshold, so noise, not the physics, "
        "decided between them."
    ),
    # a lesson's last verdict, kept by the server (lessons.js)
    "verdict_when": N_("Verdict reached {when}."),
    "verdict_runs": N_("The runs it was judged from"),
    "verdict_repeat": N_("The figure comes from repeat {n}."),
    "estimate": lazy_ngettext(
        "Run takes about {t}: an estimate from the plan (each run's duration, {n} time, plus its comparison with "
        "one thread); waiting in the queue comes on top.",
        "Run takes about {t}: an estimate from the plan (each run's duration, {n} times, plus its comparison with "
        "one thread); waiting in the queue comes on top.",
        0,
    ),
    "u_min": N_("min"),
    "kind_source": N_("Python source"),
    "retry_detail": N_("{e} Trying again in a few seconds."),
    # runs that last: the history, a run's permalink, the comparison, the store's banner
    "s_done": N_("done"),
    "s_failed": N_("failed"),
    "s_cancelled": N_("cancelled"),
    "s_running": N_("running"),
    "s_queued": N_("queued"),
    "s_cancelling": N_("cancelling"),
    "h_compare": lazy_ngettext("Compare {n} run", "Compare {n} runs", 0),
    "h_compare_none": N_("Compare"),
    "h_pick": N_("Tick 2 to {max} runs to compare them."),
    "h_too_many": N_("At most {max} runs side by side."),
    "h_pick_run": N_("Compare: {what}, {when}"),
    "h_group": N_("open as comparison"),
    "h_traced": N_("traced"),
    "h_range": N_("{a}–{b} of {total}"),
    "h_empty": N_("No runs are stored yet: every finished experiment, lesson and trace appears here."),
    "h_start": N_("Run an experiment"),
    "h_none_match": N_("No stored run matches these filters."),
    "r_no_events": N_(
        "This run's events were not stored (the server stopped while it ran): there is nothing to replay."
    ),
    "c_ratio": N_("threads / one thread"),
    "c_inconclusive": N_("inconclusive: the machine's noise decides nothing here"),
    "c_inconclusive_busy": N_("inconclusive: other processes took CPU while it was measured"),
    "c_inconclusive_res": N_("inconclusive: differences under {res} cannot be told apart"),
    "c_diff_undecided": N_("no difference can be read: a run's own noise left it undecided"),
    "c_figure": N_("figure"),
    "c_loading": N_("Reading the runs' recorded events: {i} of {n}."),
    "c_failed_load": N_("could not be read ({e})"),
    "c_no_timeline": N_("no timeline recorded"),
    "c_window": N_("showing {a}–{b} ms of {end} ms"),
    "store_banner": N_("Runs are not being saved: {e}"),
    # where the GIL was held (holdersview.js)
    "hov_idle": lazy_ngettext(
        "Point at a lane of the timeline: the code that held the GIL there is named here, from {n} sampled stack.",
        "Point at a lane of the timeline: the code that held the GIL there is named here, from {n} sampled stacks.",
        0,
    ),
    "hov_held": N_("{t} ms, {thread} held the GIL: {line}"),
    "hov_none": N_("{t} ms, {lane}: no stack sampled here"),
    "wh_line": N_("{fn}() at {where}"),
    "wh_line_c": N_("{line}, in a C call"),
    "wh_title": N_("Where the GIL was held"),
    "wh_off": N_("Where the GIL was held is unknown: the holder's stacks could not be read ({detail})."),
    "wh_absent": N_("This run recorded no stacks of the GIL holder, so where the GIL was held is unknown."),
    "wh_empty": N_("No stack of the GIL holder was sampled in this run."),
    "wh_dropped": N_(
        "This run's timed stack samples were left out of its stream (over the server's event size limit, "
        "GILSCOPE_MAX_EVENT_BYTES): the holders below come from the summary, and the timeline cannot name a line."
    ),
    "wh_icicle": N_("GIL-held time by stack"),
    "wh_icicle_hint": lazy_ngettext(
        "Each box is a frame of the holder's Python stack, outermost at the top, as wide as the time the GIL was "
        "held with it on the stack: {n} sampled stack, each standing for {ms} ms. Click a box to zoom into it and "
        "mark its samples on the timeline; click the top box to go back.",
        "Each box is a frame of the holder's Python stack, outermost at the top, as wide as the time the GIL was "
        "held with it on the stack: {n} sampled stacks, each standing for {ms} ms. Click a box to zoom into it and "
        "mark its samples on the timeline; click the top box to go back.",
        0,
    ),
    "wh_root": N_("GIL held"),
    "wh_c_call": N_("in a C call"),
    "wh_mark_hint": N_("Nothing is marked on the timeline."),
    "wh_marked": lazy_ngettext(
        "Marked on the timeline in dark: {frame}, {s} s of GIL-held time in {n} sample.",
        "Marked on the timeline in dark: {frame}, {s} s of GIL-held time in {n} samples.",
        0,
    ),
    "wh_mark_legend": N_("chosen frame"),
    "wh_waits": N_("Waited behind: seconds each thread waited while a line held the GIL"),
    "wh_waits_hint": N_(
        "Columns: the threads that waited for the GIL; rows: the line that held it meanwhile, and its thread. "
        "From the stack samples taken while each thread waited."
    ),
    "wh_waits_none": N_("No thread waited for the GIL while a sampled stack held it."),
    "wh_waiter": N_("waiting thread"),
    "wh_cell": N_("{waiter} waited {s} s behind {line} in {thread}"),
    "wh_long": N_("Long holds: the GIL kept for more than {ms} ms at once"),
    "wh_long_none": N_("No thread kept the GIL for more than {ms} ms at once."),
    "wh_long_legend": N_("long hold (> {ms} ms)"),
    "wh_long_box": N_("long hold, {ms} ms: {thread}, {line}"),
    "wh_long_hint": N_("Each long hold is boxed on the timeline, on the holder lane and on its thread's lane."),
    "wh_long_more": lazy_ngettext("and {n} more, boxed on the timeline", "and {n} more, boxed on the timeline", 0),
    "wh_col_line": N_("line"),
    "wh_col_start": N_("start, ms"),
    "wh_col_held": N_("held, ms"),
    "wh_show": N_("show"),
    # the experiment page's fields and refusals (lab.js), the interpreter picker
    "v_params": N_("Parameters of {kind}"),
    "v_count": N_("Enter a whole number of threads from 0 to {max}."),
    "v_total": N_("{n} threads in all: at most {max} run together."),
    "v_whole_range": N_("Enter a whole number from {lo} to {hi} {unit}."),
    "v_range": N_("Enter a number from {lo} to {hi} {unit}."),
    "v_fix": N_("The run was not started: correct the fields marked in red."),
    "v_server": N_("The server did not accept this value."),
    "v_time_cap": N_(
        "With these threads the run could take longer than the server allows: shorten the duration or use fewer threads."
    ),
    "v_python": N_("Choose one of the interpreters listed."),
    "v_baseline": N_("An echo server's work has no one-thread form: turn this comparison off."),
    "v_stale": N_("Not started. The figures below are from the previous run."),
    "race_lost": lazy_ngettext(
        "Shared counter: {expected} increments made, {actual} counted: {n} increment lost.",
        "Shared counter: {expected} increments made, {actual} counted: {n} increments lost.",
        0,
    ),
    "scenario_filled": N_("{what}: filled in below. Press Run (or Ctrl+Enter) to start it."),
    "py_own": N_("{python}: the server's own"),
    "py_free": N_("free-threaded"),
    "py_broken": N_("does not start"),
    # /now (lab.js followClass)
    "now_running": N_("Running now:"),
    "now_last": N_("Last run:"),
    "now_interval": N_("interval {i}"),
    "now_duration": N_("for {d}"),
    "now_started": N_("started {t}"),
    "now_created": N_("submitted {t}"),
    "now_permalink": N_("the run's page"),
    # the history's groups, a run's name (history.js, runpage.js)
    "h_sweep_group": N_("Sweep of the switch interval"),
    "h_lesson_group": N_("Lesson {id}"),
    "h_group_plain": N_("Group"),
    "h_group_runs": lazy_ngettext("{n} run", "{n} runs", 0),
    "h_expand": N_("Show the runs of {what}"),
    "n_saved": N_("Saved."),
    "n_bad_name": N_("A name is one line of at most 80 characters."),
    "n_bad_note": N_("A note is at most 2000 characters of text."),
}


def pick_lang(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The ?lang= parameter, then the remembered choice, then the browser's Accept-Language, then English."""
    for choice in (query, cookie):
        if choice in LANGS:
            return choice
    if accept:
        best, best_q = DEFAULT, -1.0
        for part in accept.split(","):
            tag, _, q = part.strip().partition(";q=")
            lang = tag.split("-")[0].strip().lower()
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            if lang in LANGS and weight > best_q:
                best, best_q = lang, weight
        return best
    return DEFAULT


def request_lang(request: Request, lang: Lang | None = None) -> str:
    """A FastAPI dependency: the language of this request (an explicit ?lang= first, as pick_lang says)."""
    return pick_lang(lang, request.cookies.get("lang"), request.headers.get("accept-language"))


def table(lang: str) -> dict[str, str | list[str]]:
    """window.T for the page scripts: every key translated into lang from the same catalog as everything else."""
    t = translation(lang)
    out: dict[str, str | list[str]] = {}
    for key, msg in JS_STRINGS.items():
        if isinstance(msg, Message) and msg.plural is not None:
            out[key] = forms(msg.singular, msg.plural, lang)
        else:
            out[key] = t.gettext(msg if isinstance(msg, str) else msg.singular)
    return out


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translation(context.get("lang", DEFAULT)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translation(context.get("lang", DEFAULT)).ngettext(singular, plural, n)


def language_name(lang: str) -> str:
    """A language's name in that language, for the switch to it ("English", "Українською")."""
    return translation(lang).pgettext("the name of this language, in it", "English")


def translated(env: Environment) -> Environment:
    """env with Jinja2's i18n extension: {{ _("...") }} and {% trans %} in a template translate into the page's
    own language (the template's `lang` variable), so that one environment serves both languages at once."""
    env.add_extension("jinja2.ext.i18n")
    gettext: Any = _gettext
    ngettext: Any = _ngettext
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["language_name"] = language_name
    return env
