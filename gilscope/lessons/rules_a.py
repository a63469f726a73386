"""Verdict rules for C1-C5: thresholds sit between the physics of a GIL build and of the alternatives.

Each rule gets only runs that finished (the dispatcher checks), reads the measured summaries, and builds every
sentence from the numbers. Thresholds are chosen to separate behaviours, not to bracket one expected value.
"""

from __future__ import annotations

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NONE,
    NUANCED,
    OUTDATED,
    Results,
    Rule,
    Text,
    Verdict,
    en,
    failed,
    gil_on,
    interval_ms,
    kind_rate,
    num,
    threads_of,
    uk,
    uk_plural,
    verdict,
)
from gilscope.lessons.presets import FREE_KEY

C1_PARALLEL = 1.3  # cores: above this, pure-Python threads ran at the same time (a GIL build stays near 1.0)
LONE_MIN_CORES = 0.6  # below this a lone thread did not get a whole core: the machine is too busy to judge
C2_NEAR = (0.6, 1.6)  # median slice / interval: the threads took turns at the interval
C2_PERIODIC = 0.25  # lone-thread hand-offs per interval: above this, something suspends it on a clock
C3_SLOWER = 1.3  # threaded / sequential at 5 ms: CPython's GIL since 3.2 gives ~1.0-1.2 (noise included); the old
# GIL (before 3.2) gave 1.5-2 on multicore machines, which is what the notes' claim describes
C3_FASTER = 0.85  # below this threads were faster: the work ran in parallel
C4_MULTI = 1.3  # cores from one Python thread: above this, C code ran threads of its own
C4_OVERLAP = 1.3  # two sleepers' naps per second / one sleeper's ideal rate: above this their sleeps overlapped
C5_WAKE_RATIO = 3.0  # wake latency at 5 ms / at 0.1 ms: the interval lever works above this
C5_RELEASE_RATIO = 1.3  # cores with 64 KiB hashlib calls / with 1 KiB calls: the release lever works above this
C5_FREE_CORES = 1.5  # cores of 2 pure-Python threads under a free-threaded interpreter: no GIL above this


def _handoff_uk(n: float) -> str:
    return uk_plural(int(n), "передача", "передачі", "передач")


def _times_uk(n: float) -> str:
    return uk_plural(round(n), "раз", "рази", "разів")


def c1(r: Results, label: Text) -> Verdict:
    one, two, four = (num(r[k], "cores_used") for k in ("cpu1", "cpu2", "cpu4"))
    if one is None or two is None or four is None:
        return verdict(INCONCLUSIVE, label, NONE, Text("A run reported no cores-used figure (its wall time was zero).",
                                                       "Один із запусків не повідомив використаних ядер "
                                                       "(його тривалість нульова)."))
    top = max(two, four)
    fig = Text(f"{en(top)} cores", f"{uk(top)} ядра")
    seen = Text(f"One thread used {en(one)} cores, two used {en(two)}, four used {en(four)}.",
                f"Один потік використав {uk(one)} ядра, два — {uk(two)}, чотири — {uk(four)}.")
    if one < LONE_MIN_CORES:
        return verdict(INCONCLUSIVE, label, fig, seen + Text(
            f"A lone thread should keep one core busy; below {en(LONE_MIN_CORES, 1)} the machine was too busy "
            "(or CPU-limited) for cores used to mean anything. Run the lesson again on a quieter machine.",
            f"Самотній потік мав би завантажити одне ядро; менше {uk(LONE_MIN_CORES, 1)} означає, що машина була "
            "надто зайнята (або обмежена в процесорі), і ядра нічого не показують. Повторіть урок на тихішій "
            "машині."))
    if top <= C1_PARALLEL:
        hps = num(r["cpu2"], "handoffs_per_s")
        turns = NONE if hps is None else Text(
            f"The two threads handed the GIL to each other {hps:.0f} times a second: they took turns.",
            f"Два потоки передавали GIL один одному {hps:.0f} {_times_uk(hps)} за секунду: вони чергувалися.")
        return verdict(CONFIRMED, label, fig, seen + Text(
            "More threads brought no more cores: only one thread ran Python at a time.",
            "Більше потоків не дало більше ядер: Python у кожен момент виконував лише один потік.") + turns)
    if not all(gil_on(r[k]) for k in ("cpu2", "cpu4")):
        return verdict(OUTDATED, label, fig, seen + Text(
            "This interpreter runs without a GIL (a free-threaded build), and its pure-Python threads ran on "
            "several cores at once. The claim holds for CPython with a GIL, not for free-threaded CPython "
            "(3.13t and later).",
            "Цей інтерпретатор працює без GIL (вільнопотокова збірка), і його потоки на чистому Python "
            "виконувалися на кількох ядрах одночасно. Твердження справджується для CPython з GIL, але не для "
            "вільнопотокового CPython (3.13t і новіших)."))
    return verdict(OUTDATED, label, fig, seen + Text(
        f"Above {en(C1_PARALLEL, 1)} cores, pure-Python threads ran in parallel, although the interpreter reports "
        "a GIL. That contradicts how the GIL works, so check this run's instruments before trusting it.",
        f"Понад {uk(C1_PARALLEL, 1)} ядра означає, що потоки на чистому Python працювали паралельно, хоча "
        "інтерпретатор повідомляє про GIL. Це суперечить роботі GIL, тож перевірте інструменти цього запуску, "
        "перш ніж йому вірити."))


def c2(r: Results, label: Text) -> Verdict:
    two, lone = r["two_cpu"], r["lone"]
    s50, hps = num(two, "slice_ms", "p50"), num(two, "handoffs_per_s")
    h_lone, wall = num(lone, "handoffs"), num(lone, "wall_s") or 0.0
    iv = interval_ms(two)
    if s50 is None or hps is None or h_lone is None or not gil_on(two):
        return verdict(INCONCLUSIVE, label, NONE, Text(
            "These runs have no GIL hand-off counter: the interpreter runs without a GIL (a free-threaded build) "
            "or its GIL could not be located, so there is no slice to compare with the interval.",
            "У цих запусках немає лічильника передач GIL: інтерпретатор працює без GIL (вільнопотокова збірка) "
            "або його GIL не вдалося знайти, тож немає з чим порівняти інтервал."))
    ratio = s50 / iv
    lone_rate = num(lone, "handoffs_per_s") or (h_lone / wall if wall else 0.0)
    periodic = lone_rate >= C2_PERIODIC * 1e3 / interval_ms(lone)
    near = C2_NEAR[0] <= ratio <= C2_NEAR[1]
    n = int(h_lone)
    fig = Text(f"{en(s50)} ms slice; alone: {n} hand-offs", f"{uk(s50)} мс; сам: {n} {_handoff_uk(n)}")
    pair = Text(
        f"Two CPU-bound threads held the GIL for a median {en(s50)} ms at an interval of {en(iv, 1)} ms and "
        f"handed it over {hps:.0f} times a second.",
        f"Два потоки обчислень утримували GIL у середньому (медіана) {uk(s50)} мс за інтервалу {uk(iv, 1)} мс "
        f"і передавали його {hps:.0f} {_times_uk(hps)} за секунду.")
    if not near:
        return verdict(INCONCLUSIVE, label, fig, pair + Text(
            f"That slice is {en(ratio, 1)} times the interval, outside {en(C2_NEAR[0], 1)}-{en(C2_NEAR[1], 1)}: "
            "the threads did not take turns at the interval, which happens when the machine is busy or CPU-limited "
            "(a waiting thread must itself get a core to ask for the GIL). Run the lesson again.",
            f"Цей відрізок у {uk(ratio, 1)} раза довший за інтервал, поза межами {uk(C2_NEAR[0], 1)}–"
            f"{uk(C2_NEAR[1], 1)}: потоки не чергувалися з інтервалом, як буває на зайнятій або обмеженій у "
            "процесорі машині (потік, що чекає, сам мусить отримати ядро, щоб попросити GIL). Повторіть урок."))
    if n == 0:
        return verdict(NUANCED, label, fig, pair + Text(
            f"So the 5 ms figure is right, but one thread alone handed the GIL over 0 times in {en(wall, 1)} s: "
            "nothing suspends a thread on a clock. The interval is how long a WAITING thread waits before it asks "
            "the holder to let go; with nobody waiting, the holder runs on.",
            f"Отже, число 5 мс правильне, але один потік сам за {uk(wall, 1)} с не передав GIL жодного разу: "
            "ніщо не призупиняє потік за годинником. Інтервал — це час, який потік, що ЧЕКАЄ, вичікує, перш ніж "
            "попросити власника відпустити GIL; коли ніхто не чекає, власник працює далі."))
    if periodic:
        return verdict(CONFIRMED, label, fig, pair + Text(
            f"One thread alone also gave the GIL up {lone_rate:.0f} times a second: this interpreter does suspend "
            "the running thread periodically, even with nobody waiting, as the notes say.",
            f"Один потік сам теж віддавав GIL {lone_rate:.0f} {_times_uk(lone_rate)} за секунду: цей інтерпретатор "
            "справді періодично призупиняє потік, навіть коли ніхто не чекає, як і сказано в конспекті."))
    return verdict(INCONCLUSIVE, label, fig, pair + Text(
        f"One thread alone handed the GIL over {n} times in {en(wall, 1)} s: not 0, as CPython's design predicts, "
        f"yet far from one per interval. Something else took the GIL now and then; run the lesson again.",
        f"Один потік сам передав GIL {n} {_times_uk(n)} за {uk(wall, 1)} с: не 0, як "
        "передбачає будова CPython, але й далеко не раз на інтервал. Щось інше часом забирало GIL; повторіть урок."))


def c3(r: Results, label: Text) -> Verdict:
    r2, r4, r01 = (num(r[k], "baseline", "threaded_over_sequential") for k in ("cpu2_5ms", "cpu4_5ms", "cpu2_0.1ms"))
    if r2 is None or r4 is None or r01 is None:
        return verdict(INCONCLUSIVE, label, NONE, Text(
            "A run has no sequential baseline to compare with; the lesson's runs must ask for one.",
            "Одному із запусків немає з чим порівняти: бракує послідовного запуску для порівняння."))
    worst = max(r2, r4)
    h5, h01 = num(r["cpu2_5ms"], "handoffs_per_s") or 0.0, num(r["cpu2_0.1ms"], "handoffs_per_s") or 0.0
    fig = Text(f"{en(r2)}x the sequential time", f"{uk(r2)} від послідовного часу")
    seen = Text(f"At 5 ms, 2 threads took {en(r2)} times the sequential time for the same work and 4 threads "
                f"{en(r4)} times.",
                f"За 5 мс 2 потоки витратили {uk(r2)} від часу послідовного виконання тієї ж роботи, а 4 потоки — "
                f"{uk(r4)}.")
    grow = (r01 - r2) * 100
    if grow > 1:
        at01 = Text(f"At 0.1 ms, {h01:.0f} hand-offs a second (against {h5:.0f} at 5 ms) raised it to {en(r01)}: "
                    f"{grow:.0f} points more. Each hand-off has a price, paid only when hand-offs are frequent.",
                    f"За 0,1 мс {h01:.0f} передач за секунду (проти {h5:.0f} за 5 мс) підняли його до {uk(r01)}: "
                    f"на {grow:.0f} пунктів більше. Кожна передача має ціну, помітну лише тоді, коли передач багато.")
    else:
        at01 = Text(f"Even at 0.1 ms, with {h01:.0f} hand-offs a second, it was {en(r01)}: no dearer than at 5 ms "
                    "on this machine.",
                    f"Навіть за 0,1 мс, із {h01:.0f} передачами за секунду, воно становило {uk(r01)}: не дорожче, "
                    "ніж за 5 мс, на цій машині.")
    if worst < C3_FASTER:
        return verdict(OUTDATED, label, fig, seen + Text(
            "Threads finished sooner than one thread doing all the work: the work ran in parallel, as it does "
            "without a GIL (a free-threaded build). Linear code is not faster here.",
            "Потоки впоралися швидше, ніж один потік з усією роботою: робота виконувалася паралельно, як буває "
            "без GIL (вільнопотокова збірка). Лінійний код тут не швидший.") + at01)
    if worst >= C3_SLOWER:
        return verdict(CONFIRMED, label, fig, seen + Text(
            f"That is {(worst - 1) * 100:.0f}% slower at worst: threads cost time for CPU-bound work, as the notes "
            "say.", f"Це до {(worst - 1) * 100:.0f}% повільніше: для обчислень потоки коштують часу, як і "
            "сказано в конспекті.") + at01)
    return verdict(NUANCED, label, fig, seen + Text(
        f"Threads were not faster, as the notes say, but within {max(0.0, (worst - 1) * 100):.0f}% of linear code: "
        "switching contexts is not what costs. The GIL's price is that threads take turns, so their work never "
        "overlaps.",
        f"Потоки не були швидшими, як і сказано в конспекті, але відстали від лінійного коду не більше ніж на "
        f"{max(0.0, (worst - 1) * 100):.0f}%: дорого коштує не перемикання контексту. Ціна GIL у тому, що "
        "потоки чергуються, тож їхня робота ніколи не перекривається.") + at01)


def c4(r: Results, label: Text) -> Verdict:
    c1_, c2_, h2 = num(r["blas1"], "cores_used"), num(r["blas2"], "cores_used"), num(r["blas2"], "handoffs")
    sleepers = threads_of(r["sleep2"], "sleep")
    nap = float((sleepers[0].get("params") or {}).get("sleep_ms", 1)) if sleepers else 1.0
    rate = kind_rate(r["sleep2"], "sleep")
    if c1_ is None or c2_ is None or rate is None:
        return verdict(INCONCLUSIVE, label, NONE, Text("A run reported no cores-used or progress figure.",
                                                       "Один із запусків не повідомив ядер або прогресу."))
    ideal = 1e3 / nap
    overlap = rate / ideal
    fig = Text(f"{en(c2_)} cores", f"{uk(c2_)} ядра")
    seen = Text(f"One Python thread multiplying matrices used {en(c1_)} cores with 1 BLAS thread and {en(c2_)} "
                "with 2.",
                f"Один потік Python, що множить матриці, використав {uk(c1_)} ядра з одним потоком BLAS і "
                f"{uk(c2_)} — з двома.")
    io_ok = overlap > C4_OVERLAP
    naps = uk_plural(round(rate), "сон", "сни", "снів")
    io = Text(f"Two sleeping threads together finished {rate:.0f} naps of {en(nap, 1)} ms a second, {en(overlap, 1)} "
              "times what one sleeper can", f"Два сплячі потоки разом завершували {rate:.0f} {naps} по {uk(nap, 1)} "
              f"мс за секунду, тобто {uk(overlap, 1)} від того, що встигає один")
    io = Text(f"{io.en}: their sleeps overlapped, as each sleep released the GIL.",
              f"{io.uk}: їхні сни перекривалися, бо на час кожного GIL звільнявся.") if overlap > C4_OVERLAP else Text(
        f"{io.en}: not above {en(C4_OVERLAP, 1)}, so their sleeps did not overlap here.",
        f"{io.uk}: не понад {uk(C4_OVERLAP, 1)}, тож їхні сни тут не перекривалися.")
    if c2_ <= C4_MULTI:
        return verdict(INCONCLUSIVE, label, fig, seen + Text(
            f"BLAS did not use a second core (not above {en(C4_MULTI, 1)}): the machine may offer only one core, "
            "or this NumPy's BLAS ignores the thread setting.",
            f"BLAS не скористався другим ядром (не понад {uk(C4_MULTI, 1)}): машина може мати лише одне ядро, "
            "або BLAS цього NumPy нехтує налаштуванням потоків.") + io)
    solo = Text("" if not h2 else f"The GIL still changed hands {int(h2)} times.",
                "" if not h2 else f"GIL все ж змінив власника {int(h2)} {_times_uk(h2)}.")
    c_part = Text("The extra core belongs to BLAS's own thread, which never needs the GIL.",
                  "Додаткове ядро належить власному потоку BLAS, якому GIL не потрібен.") + solo
    if io_ok and not h2:
        return verdict(CONFIRMED, label, fig, seen + c_part + io)
    return verdict(NUANCED, label, fig, seen + c_part + io + Text(
        "Only part of the exception showed in these runs.", "У цих запусках проявилася лише частина винятку."))


def c5(r: Results, label: Text) -> Verdict:
    w5, w01 = num(r["sleep_cpu_5ms"], "io_wake_latency_ms", "p50"), num(r["sleep_cpu_0.1ms"], "io_wake_latency_ms",
                                                                          "p50")
    k1, k64 = num(r["hash_1k"], "cores_used"), num(r["hash_64k"], "cores_used")
    moved, measured = 0, 0
    parts = Text("", "")
    fig = NONE
    if w5 is not None and w01 is not None and w01 > 0:
        measured += 1
        ratio = w5 / w01
        moved += ratio >= C5_WAKE_RATIO
        fig = Text(f"wake {en(w5)} → {en(w01)} ms", f"пробудження {uk(w5)} → {uk(w01)} мс")
        parts += Text(f"sys.setswitchinterval: a sleeper beside a CPU-bound thread waited a median {en(w5)} ms for "
                      f"the GIL at 5 ms and {en(w01)} ms at 0.1 ms, {en(ratio, 1)} times less.",
                      f"sys.setswitchinterval: сплячий потік поруч із потоком обчислень чекав на GIL у середньому "
                      f"{uk(w5)} мс за 5 мс і {uk(w01)} мс за 0,1 мс, у {uk(ratio, 1)} раза менше.")
    if k1 is not None and k64 is not None and k1 > 0:
        measured += 1
        ratio = k64 / k1
        moved += ratio >= C5_RELEASE_RATIO
        if fig is NONE:
            fig = Text(f"{en(k1)} → {en(k64)} cores", f"{uk(k1)} → {uk(k64)} ядра")
        parts += Text(f"A C call that releases the GIL: two hashlib threads used {en(k1)} cores on 1 KiB calls, "
                      f"which keep it, and {en(k64)} on 64 KiB calls, which release it.",
                      f"Виклик на C, що звільняє GIL: два потоки hashlib використали {uk(k1)} ядра викликами по "
                      f"1 КіБ, які його тримають, і {uk(k64)} — викликами по 64 КіБ, які його звільняють.")
    free = r.get(FREE_KEY)
    if free is None:
        parts += Text("No free-threaded interpreter is configured: install python3.13t or python3.14t and set "
                      "GILSCOPE_PYTHONS=/path/to/python3.14t to try the third lever, running without a GIL.",
                      "Інтерпретатор без GIL не налаштовано: встановіть python3.13t або python3.14t і задайте "
                      "GILSCOPE_PYTHONS=/шлях/до/python3.14t, щоб спробувати третій важіль, роботу без GIL.")
    elif failed(free):
        parts += Text("The run under the free-threaded interpreter failed, so that lever is not shown.",
                      "Запуск в інтерпретаторі без GIL не вдався, тож цей важіль не показано.")
    else:
        ver = (free.get("python") or {}).get("version") or "?"
        kf = num(free, "cores_used") or 0.0
        measured += 1
        if gil_on(free):
            parts += Text(f"Python {ver} ran with its GIL enabled (PYTHON_GIL=1, or a module that needs the GIL), "
                          "so it shows nothing here.",
                          f"Python {ver} працював з увімкненим GIL (PYTHON_GIL=1 або модуль, якому потрібен GIL), "
                          "тож тут він нічого не показує.")
        else:
            moved += kf > C5_FREE_CORES
            parts += Text(f"Without a GIL: two pure-Python threads under Python {ver} (free-threaded) used "
                          f"{en(kf)} cores.",
                          f"Без GIL: два потоки на чистому Python під Python {ver} (вільнопотоковий) використали "
                          f"{uk(kf)} ядра.")
    if measured == 0:
        return verdict(INCONCLUSIVE, label, fig, parts + Text("No lever could be measured in these runs.",
                                                              "У цих запусках не вдалося виміряти жодного важеля."))
    if moved:
        return verdict(OUTDATED, label, fig, Text(
            f"Levers that measurably changed how the GIL behaves: {moved} of {measured}.",
            f"Важелів, що помітно змінили поведінку GIL: {moved} з {measured}.") + parts)
    return verdict(CONFIRMED, label, fig, Text(
        f"None of the {measured} levers changed the measurement by a clear factor on this machine.",
        f"Жоден із важелів ({measured}) не змінив вимірювання помітно на цій машині.") + parts)


RULES: dict[str, tuple[Text, Rule]] = {
    "C1": (Text("cores used by 2 and 4 pure-Python threads (the larger)",
                "ядра, використані 2 і 4 потоками на чистому Python (більше)"), c1),
    "C2": (Text("median slice of 2 threads at 5 ms; hand-offs of 1 thread alone",
                "медіанний відрізок 2 потоків за 5 мс; передачі GIL одного потоку"), c2),
    "C3": (Text("2 threads: threaded / sequential wall time at 5 ms",
                "2 потоки: час потоків / послідовний час за 5 мс"), c3),
    "C4": (Text("cores used by 1 Python thread with 2 BLAS threads",
                "ядра одного потоку Python з двома потоками BLAS"), c4),
    "C5": (Text("median wake latency beside a CPU thread, 5 ms vs 0.1 ms",
                "медіанна затримка пробудження поруч із потоком обчислень, 5 мс проти 0,1 мс"), c5),
}
