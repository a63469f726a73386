"""Verdict rules for C6-C10: I/O and C calls beside CPU-bound threads, a server, races, and C extensions.

Same contract as rules_a: only finished runs arrive, every sentence is built from the measured numbers, and the
thresholds separate one behaviour from another (released or not, convoy or not, lost updates or none).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NONE,
    NUANCED,
    OUTDATED,
    Results,
    Rule,
    Table,
    Text,
    Verdict,
    en,
    gil_on,
    interval_ms,
    kind_rate,
    num,
    threads_of,
    uk,
    uk_plural,
    verdict,
)
from gilscope.lessons.presets import C7_KINDS, C8_CPU, C8_INTERVALS_S, C9_RUNS, c8_key

C6_QUICK_MS = 1.0  # median wake latency beside a CPU thread: below this, releasing cost the I/O threads nothing
C7_RELEASED = 1.4  # cores of two threads of one kind: above this the kind released the GIL
C7_KEPT = 1.3  # hashlib on 1 KiB calls: at or above this, even small calls released it
C8_HOLDS = 2.0  # requests/s with no CPU thread / with one, at 5 ms: below this the server hardly felt the GIL
C8_CONVOY = 10.0  # above this the CPU thread starves the server
C8_RECOVERY = 3.0  # requests/s at 0.1 ms / at 5 ms with one CPU thread: the interval is the cause above this
C10_FREE_SHARE = 0.7  # the CPU thread's speed beside a C call / alone: above this the call let it run
C10_GAP = 0.25  # ... and at least this much above its share beside a call that keeps the GIL

IO_KINDS = (("sleep", "time.sleep", "сон"),
            ("file", "file write + fsync + read", "файл: запис, скидання на диск, читання"),
            ("socket", "socket", "сокет"))


def c6(r: Results, label: Text) -> Verdict:
    busy, alone = r["io_cpu"], r["io_alone"]
    table = Table()
    shares, stuck = [], []
    wakes: list[tuple[str, str, float, float]] = []  # name_en, name_uk, p50, p90 of each I/O thread beside the CPU
    for kind, name_en, name_uk in IO_KINDS:
        near, solo = kind_rate(busy, kind), kind_rate(alone, kind)
        ts, ts_alone = threads_of(busy, kind), threads_of(alone, kind)
        wake = (ts[0].get("wake_latency_ms") if ts else None) or {}
        wake_alone = (ts_alone[0].get("wake_latency_ms") if ts_alone else None) or {}
        table.add(kind=kind, label_en=name_en, label_uk=name_uk, units_per_s_alone=solo, units_per_s_beside_cpu=near,
                  wake_p50_ms_alone=wake_alone.get("p50"), wake_p50_ms_beside_cpu=wake.get("p50"))
        if wake.get("p50") is not None:
            wakes.append((name_en, name_uk, float(wake["p50"]), float(wake.get("p90") or wake["p50"])))
        if near is not None and near <= 0:
            stuck.append((name_en, name_uk))
        if near and solo:
            shares.append(near / solo)
    if not wakes and num(busy, "io_wake_latency_ms", "p50") is not None:  # no per-thread figures: use the whole run
        wakes.append(("I/O", "введення-виведення", num(busy, "io_wake_latency_ms", "p50") or 0.0,
                      num(busy, "io_wake_latency_ms", "p90") or 0.0))
    if not wakes:
        return verdict(INCONCLUSIVE, label, NONE, Text(
            "The I/O threads reported no wake-ups, so their wait for the GIL cannot be measured.",
            "Потоки введення-виведення не повідомили про пробудження, тож їхнє очікування GIL виміряти не можна."),
            table.freeze())
    iv = interval_ms(busy)
    slow = max(wakes, key=lambda x: x[2])
    w = slow[2]
    fig = Text(f"{en(w)} ms wake latency", f"{uk(w)} мс затримки пробудження")
    if stuck:
        return verdict(INCONCLUSIVE, label, fig, Text(
            f"No progress at all beside the CPU-bound thread: {'; '.join(n for n, _ in stuck)}. Even a call that "
            "kept the GIL would get it back every interval, so this points at the run, not the GIL; run again.",
            f"Жодного поступу поруч із потоком обчислень: {'; '.join(n for _, n in stuck)}. Навіть виклик, що "
            "тримає GIL, отримував би його назад щоінтервалу, тож причина в запуску, а не в GIL; повторіть."),
            table.freeze())
    share = Text("", "") if not shares else Text(
        f"Beside the CPU thread they kept {min(shares) * 100:.0f}-{max(shares) * 100:.0f}% of their rate alone.",
        f"Поруч із потоком обчислень вони зберегли {min(shares) * 100:.0f}–{max(shares) * 100:.0f}% своєї "
        "швидкості наодинці.")
    seen = Text("Sleep, file and socket threads all kept working beside a CPU-bound thread, so their system calls "
                "do release the GIL.",
                "Потоки сну, файлу й сокета працювали далі поруч із потоком обчислень, тож їхні системні виклики "
                "справді звільняють GIL.") + share
    each = Text(f"Median wait to take the GIL back after a call, at an interval of {en(iv, 1)} ms: "
                + "; ".join(f"{n}: {en(p50, 3)} ms (p90 {en(p90, 3)})" for n, _, p50, p90 in wakes) + ".",
                f"Медіанне очікування GIL після виклику за інтервалу {uk(iv, 1)} мс: "
                + "; ".join(f"{n}: {uk(p50, 3)} мс (p90 {uk(p90, 3)})" for _, n, p50, p90 in wakes) + ".")
    if w < C6_QUICK_MS:
        return verdict(CONFIRMED, label, fig, seen + each + Text(
            f"Even the slowest waited well under {en(C6_QUICK_MS, 0)} ms: releasing cost them almost nothing.",
            f"Навіть найповільніший чекав значно менше {uk(C6_QUICK_MS, 0)} мс: звільнення майже нічого їм не "
            "коштувало."), table.freeze())
    quick = [x for x in wakes if x[2] < C6_QUICK_MS]
    q_en = " and ".join(n for n, *_ in quick)
    q_uk = " і ".join(f"«{n}»" for _, n, *_ in quick)
    short = Text("", "") if not quick else Text(
        f"The {q_en} thread{'s' if len(quick) > 1 else ''} got it back sooner: a short call often ends before the "
        "CPU-bound thread has woken up to take the free GIL.",
        f"{'Потоки' if len(quick) > 1 else 'Потік'} {q_uk} {'повертали' if len(quick) > 1 else 'повертав'} його "
        "швидше: короткий виклик часто завершується раніше, ніж потік обчислень прокинеться й забере вільний GIL.")
    return verdict(NUANCED, label, fig, seen + each + Text(
        f"The {slow[0]} thread waited {en(w)} ms, {w / iv * 100:.0f}% of the interval: the CPU-bound thread keeps "
        "the GIL until a waiter has waited a whole interval, so a thread whose call blocked pays up to that much on "
        "every wake-up (the convoy effect).",
        f"Потік «{slow[1]}» чекав {uk(w)} мс, {w / iv * 100:.0f}% інтервалу: потік обчислень тримає GIL, доки той, "
        "хто чекає, не прочекає цілий інтервал, тож потік, чий виклик блокувався, платить до стількох за кожне "
        "пробудження (ефект конвою).") + short, table.freeze())


def c7(r: Results, label: Text) -> Verdict:
    table = Table()
    cores: dict[str, float | None] = {}
    for key, _kind, _params, name_en, name_uk, claimed in C7_KINDS:
        c = num(r[key], "cores_used")
        cores[key] = c
        table.add(run=key, label_en=name_en, label_uk=name_uk, notes_say_releases=claimed, cores_used=c,
                  handoffs_per_s=num(r[key], "handoffs_per_s"), released=c is not None and c > C7_RELEASED)
    if any(v is None for v in cores.values()):
        return verdict(INCONCLUSIVE, label, NONE, Text("A run reported no cores-used figure.",
                                                       "Один із запусків не повідомив використаних ядер."),
                       table.freeze())
    names = {k: (e, u) for k, _, _, e, u, _ in C7_KINDS}
    named = [k for k, *_, c in C7_KINDS if c]  # the kinds the notes say release the GIL
    contrast = [k for k, *_, c in C7_KINDS if not c and k != "hash1k_2"]
    released = [k for k in named if (cores[k] or 0) > C7_RELEASED]
    held = [k for k in named if k not in released]
    small, top_contrast = cores["hash1k_2"] or 0.0, max(cores[k] or 0.0 for k in contrast)

    def listing(keys: list[str]) -> tuple[str, str]:
        return ("; ".join(f"{names[k][0]}: {en(cores[k] or 0)}" for k in keys),
                "; ".join(f"{names[k][1]}: {uk(cores[k] or 0)}" for k in keys))

    lo = min(cores[k] or 0.0 for k in released) if released else 0.0
    fig = Text(f"{en(lo)}+ cores; hashlib 1 KiB {en(small)}", f"{uk(lo)}+ ядра; hashlib 1 КіБ {uk(small)}")
    if not released and top_contrast <= C7_RELEASED:
        le, lu = listing(named)
        return verdict(INCONCLUSIVE, label, fig, Text(
            f"No kind used more than {en(C7_RELEASED, 1)} cores ({le}): the machine may offer only one core, so "
            "release cannot show as parallelism.",
            f"Жоден вид не використав понад {uk(C7_RELEASED, 1)} ядра ({lu}): машина може мати лише одне ядро, тож "
            "звільнення не може проявитися як паралельність."), table.freeze())
    le, lu = listing(released)
    rel = Text("", "") if not released else Text(f"Two threads of each kind used, in cores: {le}.",
                                                 f"Два потоки кожного виду використали, в ядрах: {lu}.")
    if held:
        le, lu = listing(held)
        rel += Text(f"Not above {en(C7_RELEASED, 1)}: {le}.", f"Не понад {uk(C7_RELEASED, 1)}: {lu}.")
    le, lu = listing(contrast)
    keep = Text(f"The contrast, C code that keeps the GIL: {le}.", f"Для порівняння, код на C, що тримає GIL: {lu}.")
    if top_contrast > C7_RELEASED:
        keep += Text("One of them passed the threshold too, so this machine's numbers are noisy.",
                     "Один із них теж перейшов поріг, тож числа на цій машині шумні.")
    small_t = Text(f"hashlib fed in 1 KiB calls used {en(small)} cores: CPython releases the GIL in hashlib only "
                   "for data of 2048 bytes or more.",
                   f"hashlib, якому дані подають викликами по 1 КіБ, використав {uk(small)} ядра: CPython звільняє "
                   "GIL у hashlib лише для даних від 2048 байтів.")
    if held:
        return verdict(NUANCED, label, fig, rel + keep + small_t + Text(
            "Some of the kinds the notes name did not run in parallel here.",
            "Деякі з названих у конспекті видів тут не працювали паралельно."), table.freeze())
    if small >= C7_KEPT:
        return verdict(CONFIRMED, label, fig, rel + keep + Text(
            f"Even hashlib fed in 1 KiB calls used {en(small)} cores: on this interpreter small calls release the "
            "GIL too.",
            f"Навіть hashlib викликами по 1 КіБ використав {uk(small)} ядра: у цьому інтерпретаторі малі виклики "
            "теж звільняють GIL."), table.freeze())
    return verdict(NUANCED, label, fig, rel + keep + small_t + Text(
        "So the claim holds for these libraries, but for hashlib only with large buffers.",
        "Отже, твердження справджується для цих бібліотек, але для hashlib лише з великими буферами."),
        table.freeze())


def _req_uk(n: float) -> str:
    return uk_plural(round(n), "запит", "запити", "запитів")


def _rps(r: Results, cpu: int, iv: float) -> float | None:
    return num(r[c8_key(cpu, iv)], "network", "requests_per_s")


def c8(r: Results, label: Text) -> Verdict:
    table = Table()
    for iv in reversed(C8_INTERVALS_S):
        for c in C8_CPU:
            s = r[c8_key(c, iv)]
            table.add(cpu_threads=float(c), interval_ms=iv * 1e3, requests_per_s=num(s, "network", "requests_per_s"),
                      p50_ms=num(s, "network", "latency_ms", "p50"), p99_ms=num(s, "network", "latency_ms", "p99"))
    r0, r1, r2, r1f = _rps(r, 0, 0.005), _rps(r, 1, 0.005), _rps(r, 2, 0.005), _rps(r, 1, 0.0001)
    if not r0 or r1 is None or r2 is None or r1f is None:
        return verdict(INCONCLUSIVE, label, NONE, Text(
            "The echo server reported no requests in a run, so there is nothing to compare.",
            "Ехо-сервер не повідомив про запити в одному із запусків, тож немає чого порівнювати."), table.freeze())
    ratio = r0 / r1 if r1 > 0 else math.inf
    rec = r1f / r1 if r1 > 0 else math.inf
    p99_0 = num(r[c8_key(0, 0.005)], "network", "latency_ms", "p99") or 0.0
    p99_1 = num(r[c8_key(1, 0.005)], "network", "latency_ms", "p99") or 0.0
    fig = Text(f"{r0:,.0f} → {r1:,.0f} req/s", f"{uk(r0, 0)} → {uk(r1, 0)} запитів/с")
    ratio_en = "to nothing" if math.isinf(ratio) else f"{en(ratio, 1)}x"
    ratio_uk = "до нуля" if math.isinf(ratio) else f"у {uk(ratio, 1)} раза"
    seen = Text(f"At 5 ms the server answered {r0:,.0f} requests a second alone (p99 {en(p99_0)} ms), {r1:,.0f} beside "
                f"one CPU-bound thread (p99 {en(p99_1)} ms) and {r2:,.0f} beside two.",
                f"За 5 мс сервер відповідав на {uk(r0, 0)} {_req_uk(r0)} за секунду сам (p99 {uk(p99_0)} мс), на "
                f"{uk(r1, 0)} поруч з одним потоком обчислень (p99 {uk(p99_1)} мс) і на {uk(r2, 0)} поруч із двома.")
    if ratio < C8_HOLDS:
        return verdict(CONFIRMED, label, fig, seen + Text(
            f"A CPU-bound thread cost the server less than half its throughput ({ratio_en}): here network code "
            "hardly depends on the GIL.",
            f"Потік обчислень забрав у сервера менше половини пропускної здатності ({ratio_uk} менше): тут "
            "мережевий код майже не залежить від GIL."), table.freeze())
    at01 = Text(f"At 0.1 ms, with one CPU thread, it answered {r1f:,.0f} a second, {en(rec, 1)} times as many.",
                f"За 0,1 мс з одним потоком обчислень сервер відповідав на {uk(r1f, 0)} {_req_uk(r1f)} за секунду, "
                f"у {uk(rec, 1)} раза більше.")
    convoy = at01 if rec < C8_RECOVERY else Text(
        "Each reply must win the GIL back from the CPU-bound thread, which keeps it for up to one interval (the "
        "convoy effect), so a shorter interval helps.",
        "Кожна відповідь мусить відвоювати GIL у потоку обчислень, який тримає його до одного інтервалу (ефект "
        "конвою), тож коротший інтервал допомагає.") + at01
    if ratio >= C8_CONVOY and rec < C8_RECOVERY:
        return verdict(INCONCLUSIVE, label, fig, seen + Text(
            f"Throughput fell {ratio_en} but a shorter interval brought back only {en(rec, 1)}x, so the GIL's "
            "hand-off is not shown to be the cause: the machine may simply lack cores for the server, its client "
            "and the CPU thread.",
            f"Пропускна здатність упала {ratio_uk}, але коротший інтервал повернув лише у {uk(rec, 1)} раза, тож "
            "не доведено, що причина — передача GIL: машині може просто бракувати ядер для сервера, його клієнта "
            "й потоку обчислень."), table.freeze())
    return verdict(NUANCED, label, fig, seen + convoy + Text(
        f"True with no CPU work in the process, false with it: one CPU-bound thread cut throughput {ratio_en}, so "
        "the claim holds only for servers that compute nothing themselves.",
        f"Правда, коли процес нічого не обчислює, і неправда, коли обчислює: один потік обчислень зменшив "
        f"пропускну здатність {ratio_uk}, тож твердження справджується лише для серверів, які самі нічого не "
        "обчислюють."), table.freeze())


def _g_uk(x: float) -> str:
    """A short number with a decimal comma (0,05; 5)."""
    return f"{x:g}".replace(".", ",")


def c9(r: Results, label: Text) -> Verdict:
    table = Table()
    lost = expected = 0
    bad: list[tuple[str, int]] = []
    free = False
    for key, n, iv in C9_RUNS:
        race = r[key].get("race")
        if not isinstance(race, Mapping) or race.get("lost") is None or race.get("refcount_ok") is None:
            return verdict(INCONCLUSIVE, label, NONE, Text(
                "A run has no race counters: this engine does not report them yet.",
                "В одному із запусків немає лічильників гонки: рушій їх ще не повідомляє."), table.freeze())
        delta = int(race.get("refcount_after", 0)) - int(race.get("refcount_before", 0))
        table.add(run=key, threads=float(n), interval_ms=iv * 1e3, expected=float(race.get("expected", 0)),
                  actual=float(race.get("actual", 0)), lost=float(race["lost"]),
                  lost_pct=100.0 * race["lost"] / race["expected"] if race.get("expected") else 0.0,
                  refcount_delta=float(delta))
        lost += max(0, int(race["lost"]))  # below 0: a unit finished after the count was taken, not a loss
        expected += int(race.get("expected", 0))
        free = free or not gil_on(r[key])
        if not race["refcount_ok"]:
            bad.append((key, delta))
    noun = uk_plural(expected, "збільшення", "збільшення", "збільшень")
    fig = Text(f"{lost:,} of {expected:,} increments lost", f"втрачено {uk(lost, 0)} з {uk(expected, 0)} {noun}")
    if bad:
        d = bad[0][1]
        return verdict(OUTDATED, label, fig, Text(
            f"The shared object's reference count changed by {d:+d} across the run: the interpreter's own "
            "bookkeeping was corrupted, which the GIL (or, without it, atomic reference counting) should prevent.",
            f"Лічильник посилань спільного об'єкта змінився на {d:+d} за запуск: власний облік інтерпретатора "
            "зіпсовано, чому GIL (а без нього — атомарний підрахунок посилань) мав би запобігти."), table.freeze())
    ref = Text("The shared object's reference count came back exactly as it was in every run: the interpreter's "
               "own state is safe.",
               "Лічильник посилань спільного об'єкта в кожному запуску повернувся точно до початкового: власний стан "
               "інтерпретатора в безпеці.")
    if free:
        ref += Text("(This interpreter has no GIL; atomic reference counting does that job.)",
                    "(Цей інтерпретатор без GIL; цю роботу виконує атомарний підрахунок посилань.)")
    if lost > 0:
        worst = max(table.rows, key=lambda row: row["lost"])
        return verdict(NUANCED, label, fig, ref + Text(
            f"But the program's own counter lost {lost:,} of {expected:,} increments (most at "
            f"{worst['interval_ms']:g} ms: {worst['lost']:,.0f}): a switch that lands between the read and "
            "the write loses an update. The GIL protects the interpreter, not your invariants: use a lock.",
            f"Але власний лічильник програми втратив {uk(lost, 0)} з {uk(expected, 0)} збільшень (найбільше за "
            f"{_g_uk(worst['interval_ms'])} мс: {uk(worst['lost'], 0)}): перемикання між читанням і записом "
            "губить оновлення. GIL захищає інтерпретатор, а не ваші інваріанти: потрібне блокування."),
            table.freeze())
    return verdict(CONFIRMED, label, fig, ref + Text(
        f"No increment was lost either ({expected:,} done), but that is luck, not protection: an update is lost "
        "only when a switch lands between the read and the write, and none did here. Try a shorter interval.",
        f"Жодне збільшення теж не втрачено ({uk(expected, 0)} виконано), але це везіння, а не захист: оновлення "
        "губиться лише тоді, коли перемикання припадає між читанням і записом, а тут такого не сталося. "
        "Спробуйте коротший інтервал."), table.freeze())


def c10(r: Results, label: Text) -> Verdict:
    alone = kind_rate(r["cpu_alone"], "cpu")
    table = Table()
    share: dict[str, float] = {}
    rows = (("regex_cpu", "re", "re"), ("zlib_cpu", "zlib, 1 MiB", "zlib, 1 МіБ"),
            ("hash1k_cpu", "hashlib, 1 KiB", "hashlib, 1 КіБ"), ("hash64k_cpu", "hashlib, 64 KiB", "hashlib, 64 КіБ"))
    for key, name_en, name_uk in rows:
        rate = kind_rate(r[key], "cpu")
        if rate is not None and alone:
            share[key] = rate / alone
        table.add(run=key, label_en=name_en, label_uk=name_uk, cpu_units_per_s=rate, cpu_share=share.get(key),
                  cores_used=num(r[key], "cores_used"))
    if not alone or "regex_cpu" not in share or "zlib_cpu" not in share:
        return verdict(INCONCLUSIVE, label, NONE, Text("The CPU-bound thread reported no progress.",
                                                       "Потік обчислень не повідомив про поступ."), table.freeze())
    keep, rel = share["regex_cpu"], share["zlib_cpu"]
    ck, cr = num(r["regex_cpu"], "cores_used") or 0.0, num(r["zlib_cpu"], "cores_used") or 0.0
    fig = Text(f"{keep * 100:.0f}% vs {rel * 100:.0f}% of its speed alone",
               f"{keep * 100:.0f}% проти {rel * 100:.0f}% швидкості наодинці")
    seen = Text(f"A CPU-bound Python thread ran at {keep * 100:.0f}% of its speed alone beside re, which keeps the "
                f"GIL ({en(ck)} cores), and at {rel * 100:.0f}% beside zlib, which releases it ({en(cr)} cores).",
                f"Потік обчислень на Python працював на {keep * 100:.0f}% своєї швидкості наодинці поруч із re, "
                f"що тримає GIL ({uk(ck)} ядра), і на {rel * 100:.0f}% поруч із zlib, що його звільняє "
                f"({uk(cr)} ядра).")
    h = Text("", "")
    if "hash1k_cpu" in share and "hash64k_cpu" in share:
        a, b = share["hash1k_cpu"] * 100, share["hash64k_cpu"] * 100
        h = Text(f"Within one library, hashlib: {a:.0f}% beside 1 KiB calls, {b:.0f}% beside 64 KiB calls.",
                 f"В одній бібліотеці, hashlib: {a:.0f}% поруч із викликами по 1 КіБ, {b:.0f}% поруч із викликами "
                 "по 64 КіБ.")
    below_two = Text("", "") if cr >= 1.8 else Text(
        f"The releasing thread itself must win the GIL back after every call, one interval at worst, which is why "
        f"{en(cr)} cores and not 2.",
        f"Сам потік, що звільняє GIL, після кожного виклику мусить відвоювати його назад, у гіршому разі цілий "
        f"інтервал, тому ядер {uk(cr)}, а не 2.")
    if rel >= C10_FREE_SHARE and rel - keep >= C10_GAP:
        return verdict(CONFIRMED, label, fig, seen + Text(
            "The C code that keeps the GIL needs no locks of its own but freezes the Python thread while it runs; "
            "the code that releases it lets Python run beside it.",
            "Код на C, що тримає GIL, не потребує власних блокувань, але на час роботи зупиняє потік Python; код, "
            "що його звільняє, дає Python працювати поруч.") + below_two + h, table.freeze())
    return verdict(INCONCLUSIVE, label, fig, seen + Text(
        f"The two are not clearly apart (release needs at least {C10_FREE_SHARE * 100:.0f}% and "
        f"{C10_GAP * 100:.0f} points more than keeping); a busy machine blurs them. Run the lesson again.",
        f"Ці два випадки не розійшлися чітко (для звільнення треба щонайменше {C10_FREE_SHARE * 100:.0f}% і на "
        f"{C10_GAP * 100:.0f} пунктів більше, ніж при утриманні); зайнята машина їх розмиває. Повторіть урок.")
        + h, table.freeze())


RULES: dict[str, tuple[Text, Rule]] = {
    "C6": (Text("median wake latency of the slowest I/O thread beside a CPU thread",
                "медіанна затримка пробудження найповільнішого потоку введення-виведення поруч із потоком обчислень"),
           c6),
    "C7": (Text("cores of the releasing kinds (lowest); hashlib on 1 KiB",
                "ядра видів, що звільняють GIL (найменше); hashlib по 1 КіБ"), c7),
    "C8": (Text("requests/s at 5 ms: no CPU thread → one CPU thread",
                "запитів/с за 5 мс: без потоку обчислень → з одним"), c8),
    "C9": (Text("increments of the shared counter lost", "втрачені збільшення спільного лічильника"), c9),
    "C10": (Text("CPU thread's speed beside re vs beside zlib", "швидкість потоку обчислень поруч із re і з zlib"),
            c10),
}
