"""Every string of the dashboard's UI, in English and Ukrainian. The page's scripts get the same table."""

from __future__ import annotations

LANGS = ("en", "uk")

STRINGS: dict[str, dict[str, str]] = {
    "title": {"en": "gilscope: the GIL at work", "uk": "gilscope: GIL у дії"},
    "nav_lab": {"en": "Experiment", "uk": "Експеримент"},
    "nav_lessons": {"en": "Lessons", "uk": "Уроки"},
    "nav_now": {"en": "Now running", "uk": "Зараз виконується"},
    "lang_switch": {"en": "Українською", "uk": "English"},
    "builder": {"en": "Threads", "uk": "Потоки"},
    "builder_hint": {"en": "How many threads of each kind run together. Hover a kind for what it does.",
                     "uk": "Скільки потоків кожного виду працюють разом. "
                           "Наведіть на вид, щоб дізнатися, що він робить."},
    "releases_yes": {"en": "releases the GIL", "uk": "звільняє GIL"},
    "releases_no": {"en": "keeps the GIL", "uk": "тримає GIL"},
    "releases_param": {"en": "releases the GIL from 2 KiB", "uk": "звільняє GIL від 2 KiB"},
    "interval": {"en": "Switch interval (sys.setswitchinterval)", "uk": "Інтервал перемикання (sys.setswitchinterval)"},
    "interval_hint": {"en": "How long a waiting thread waits before it asks the holder to drop the GIL. "
                            "Default 5 ms (marked).",
                      "uk": "Скільки часу чекає потік, що хоче взяти GIL, перш ніж попросити власника віддати "
                            "його. Типово 5 мс (позначено)."},
    "default": {"en": "default", "uk": "типово"},
    "duration": {"en": "Duration, s", "uk": "Тривалість, с"},
    "baseline": {"en": "Also run the same work in one thread", "uk": "Також виконати ту саму роботу в одному потоці"},
    "run": {"en": "Run", "uk": "Запустити"},
    "cancel": {"en": "Cancel", "uk": "Скасувати"},
    "status_idle": {"en": "Ready. Choose threads and press Run.",
                    "uk": "Готово. Оберіть потоки й натисніть «Запустити»."},
    "status_queued": {"en": "Waiting in the queue: position {pos}.", "uk": "Очікує в черзі: позиція {pos}."},
    "status_running": {"en": "Running: {t} s of {d} s.", "uk": "Виконується: {t} с із {d} с."},
    "status_baseline": {"en": "Running the same work in one thread for comparison.",
                        "uk": "Виконується та сама робота в одному потоці для порівняння."},
    "status_done": {"en": "Done.", "uk": "Готово."},
    "status_failed": {"en": "Failed: {e}", "uk": "Не вдалося: {e}"},
    "status_cancelled": {"en": "Cancelled.", "uk": "Скасовано."},
    "status_error": {"en": "The server refused: {e}", "uk": "Сервер відмовив: {e}"},
    "no_threads": {"en": "Choose at least one thread.", "uk": "Оберіть хоча б один потік."},
    "timeline": {"en": "Who holds the GIL: one lane per thread", "uk": "Хто тримає GIL: смуга на кожен потік"},
    "timeline_hint": {"en": "Drag to zoom, double-click to reset. The top lane is the interpreter's own GIL state, "
                            "sampled from outside; thread lanes come from in-thread probes.",
                      "uk": "Виділіть, щоб збільшити, двічі клацніть, щоб повернути. Верхня смуга — власний стан "
                            "GIL інтерпретатора, прочитаний ззовні; смуги потоків — з позначок у самих потоках."},
    "st_holding": {"en": "holding the GIL", "uk": "тримає GIL"},
    "st_waiting": {"en": "waiting (for the GIL or a core)", "uk": "чекає (на GIL або ядро)"},
    "st_io": {"en": "blocked in I/O or sleep", "uk": "заблокований у введенні-виведенні чи сні"},
    "st_native": {"en": "native code without the GIL", "uk": "нативний код без GIL"},
    "lane_holder": {"en": "GIL holder (sampled)", "uk": "власник GIL (вибірка)"},
    "holder_free": {"en": "GIL free", "uk": "GIL вільний"},
    "holder_other": {"en": "another thread", "uk": "інший потік"},
    "progress": {"en": "Progress: units of work done by each thread", "uk": "Прогрес: одиниці роботи кожного потоку"},
    "time_s": {"en": "time, s", "uk": "час, с"},
    "time_ms": {"en": "time, ms", "uk": "час, мс"},
    "units": {"en": "units done", "uk": "виконано одиниць"},
    "fig_handoffs": {"en": "hand-offs / s", "uk": "передач GIL / с"},
    "fig_handoffs_hint": {"en": "From the interpreter's own switch counter.",
                          "uk": "З власного лічильника перемикань інтерпретатора."},
    "fig_slice": {"en": "median slice", "uk": "медіанний відрізок"},
    "fig_slice_hint": {"en": "How long one thread kept the GIL, against the interval set ({i} ms).",
                       "uk": "Як довго один потік тримав GIL, порівняно з інтервалом ({i} мс)."},
    "fig_cores": {"en": "cores used", "uk": "використано ядер"},
    "fig_cores_hint": {"en": "Process CPU time / wall time. About 1 means one thread ran at a time.",
                       "uk": "Час процесора процесу / реальний час. Близько 1 — працював один потік за раз."},
    "fig_wake": {"en": "I/O wake latency p50", "uk": "затримка пробудження p50"},
    "fig_wake_hint": {"en": "From the moment a sleep or socket answer was ready to the moment the thread ran again.",
                      "uk": "Від миті, коли сон чи відповідь сокета були готові, до миті, коли потік знову працював."},
    "fig_coverage": {"en": "hand-offs drawn", "uk": "передач на графіку"},
    "fig_coverage_hint": {"en": "How many of the counted hand-offs the timeline shows exactly.",
                          "uk": "Скільки з порахованих передач графік показує точно."},
    "fig_sampler": {"en": "observer cost", "uk": "ціна спостерігача"},
    "fig_sampler_hint": {"en": "CPU of the sampling process, as a share of one core, and its sampling rate.",
                         "uk": "Процесорний час процесу-спостерігача як частка одного ядра та частота вибірки."},
    "none": {"en": "none", "uk": "немає"},
    "after": {"en": "After the run", "uk": "Після запуску"},
    "hist_slice": {"en": "Slice lengths, ms", "uk": "Довжини відрізків, мс"},
    "hist_wake": {"en": "Wake latency, ms", "uk": "Затримка пробудження, мс"},
    "count": {"en": "count", "uk": "кількість"},
    "compare": {"en": "Threads vs one thread", "uk": "Потоки проти одного потоку"},
    "threaded": {"en": "threads", "uk": "потоки"},
    "sequential": {"en": "one thread", "uk": "один потік"},
    "wall_s": {"en": "wall time, s", "uk": "реальний час, с"},
    "reading": {"en": "What happened", "uk": "Що сталося"},
    "instruments": {"en": "Instruments", "uk": "Інструменти"},
    "inst_locator": {"en": "GIL state located in the interpreter", "uk": "стан GIL знайдено в інтерпретаторі"},
    "inst_sampler": {"en": "GIL read from outside via /proc", "uk": "GIL прочитано ззовні через /proc"},
    "inst_schedstat": {"en": "per-thread CPU from schedstat", "uk": "процесорний час потоків зі schedstat"},
    "missing": {"en": "missing", "uk": "відсутній"},
    "thread": {"en": "thread", "uk": "потік"},
    "kind": {"en": "kind", "uk": "вид"},
    "cpu_s": {"en": "CPU, s", "uk": "процесор, с"},
    "gil_wait_s": {"en": "GIL wait, s", "uk": "очікування GIL, с"},
    "units_per_s": {"en": "units / s", "uk": "одиниць / с"},
    "matrix": {"en": "Hand-offs from -> to", "uk": "Передачі від -> до"},
    "now_title": {"en": "Now running: follow the class's experiment",
                  "uk": "Зараз виконується: стежте за експериментом класу"},
    "now_none": {"en": "Nothing is running. The next run anyone starts appears here.",
                 "uk": "Нічого не виконується. Наступний запуск будь-кого з'явиться тут."},
    "queue_len": {"en": "Runs waiting: {n}", "uk": "Запусків у черзі: {n}"},
    "lessons_title": {"en": "Lessons: the study notes, put to the test", "uk": "Уроки: конспект на перевірці"},
    "lessons_intro": {"en": "Each card is one claim of the notes. Run its experiment: the verdict is computed from "
                            "what this machine measures now.",
                      "uk": "Кожна картка — одне твердження конспекту. Запустіть експеримент: вердикт обчислюється з "
                            "того, що ця машина вимірює зараз."},
    "claim_notes": {"en": "In the notes (Ukrainian)", "uk": "У конспекті"},
    "claim_en": {"en": "In English", "uk": "Англійською"},
    "experiment": {"en": "Experiment", "uk": "Експеримент"},
    "run_lesson": {"en": "Run the lesson", "uk": "Запустити урок"},
    "run_sweep": {"en": "Sweep the interval", "uk": "Пройти інтервали"},
    "verdict": {"en": "Verdict", "uk": "Вердикт"},
    "v_confirmed": {"en": "confirmed", "uk": "підтверджено"},
    "v_nuanced": {"en": "nuanced", "uk": "з нюансами"},
    "v_outdated": {"en": "outdated", "uk": "застаріло"},
    "v_inconclusive": {"en": "inconclusive", "uk": "не визначено"},
    "lesson_run_n": {"en": "Run {i} of {n}: {label}", "uk": "Запуск {i} з {n}: {label}"},
    "sweep_title": {"en": "Across switch intervals", "uk": "За різних інтервалів перемикання"},
    "interval_ms": {"en": "switch interval, ms", "uk": "інтервал перемикання, мс"},
    "throughput": {"en": "throughput, units/s", "uk": "пропускна здатність, одиниць/с"},
    "wake_ms": {"en": "wake latency p50, ms", "uk": "затримка пробудження p50, мс"},
    "requests_per_s": {"en": "requests / s", "uk": "запитів / с"},
    "latency_ms": {"en": "latency, ms", "uk": "затримка, мс"},
    "free_note": {"en": "free-threaded build: there is no GIL to hand off; counts are not shown.",
                  "uk": "збірка без GIL: передавати нічого; лічильники не показано."},
    "python": {"en": "Python", "uk": "Python"},
    "col_label": {"en": "run", "uk": "запуск"},
    "col_kind": {"en": "kind", "uk": "вид"},
    "col_cores_used": {"en": "cores used", "uk": "ядер"},
    "col_cpu_share": {"en": "CPU thread's share of its speed alone", "uk": "частка швидкості потоку обчислень"},
    "col_cpu_threads": {"en": "CPU threads", "uk": "потоків обчислень"},
    "col_cpu_units_per_s": {"en": "CPU thread units/s", "uk": "одиниць/с потоку обчислень"},
    "col_expected": {"en": "increments expected", "uk": "очікувано збільшень"},
    "col_actual": {"en": "counter at the end", "uk": "лічильник у кінці"},
    "col_lost": {"en": "lost", "uk": "втрачено"},
    "col_lost_pct": {"en": "lost, %", "uk": "втрачено, %"},
    "col_refcount_delta": {"en": "refcount change", "uk": "зміна лічильника посилань"},
    "col_handoffs_per_s": {"en": "hand-offs/s", "uk": "передач/с"},
    "col_interval_ms": {"en": "interval, ms", "uk": "інтервал, мс"},
    "col_threads": {"en": "threads", "uk": "потоків"},
    "col_notes_say_releases": {"en": "notes say it releases", "uk": "за конспектом звільняє"},
    "col_released": {"en": "ran in parallel", "uk": "працював паралельно"},
    "col_requests_per_s": {"en": "requests/s", "uk": "запитів/с"},
    "col_p50_ms": {"en": "latency p50, ms", "uk": "затримка p50, мс"},
    "col_p99_ms": {"en": "latency p99, ms", "uk": "затримка p99, мс"},
    "col_units_per_s_alone": {"en": "units/s alone", "uk": "одиниць/с окремо"},
    "col_units_per_s_beside_cpu": {"en": "units/s beside a CPU thread", "uk": "одиниць/с поруч з обчисленнями"},
    "col_wake_p50_ms_alone": {"en": "wake p50 alone, ms", "uk": "пробудження p50 окремо, мс"},
    "col_wake_p50_ms_beside_cpu": {"en": "wake p50 beside a CPU thread, ms",
                                   "uk": "пробудження p50 поруч з обчисленнями, мс"},
    "yes": {"en": "yes", "uk": "так"},
    "u_ms": {"en": "ms", "uk": "мс"},
    "u_s": {"en": "s", "uk": "с"},
    "u_hz": {"en": "Hz", "uk": "Гц"},
    "no": {"en": "no", "uk": "ні"},
    "retrying": {"en": "The queue is busy: trying again in a few seconds.",
                 "uk": "Черга зайнята: повтор за кілька секунд."},
    "lesson_done": {"en": "All runs done: the verdict is below.", "uk": "Усі запуски завершено: вердикт нижче."},
    "sweep_run": {"en": "Sweep: {i} ms ({k} of {n})", "uk": "Прохід: {i} мс ({k} з {n})"},
    "c8_plot": {"en": "Echo server: requests/s by switch interval", "uk": "Ехо-сервер: запитів/с за інтервалом"},
    "cpu_n": {"en": "{n} CPU thread(s)", "uk": "потоків обчислень: {n}"},
    "dropped": {"en": "{n} segments were too many to send and are missing from the timeline.",
                "uk": "{n} відрізків не вмістилися в повідомлення і відсутні на графіку."},
    "read_handoffs": {"en": "{n} threads ran for {wall} s at a {i} ms switch interval. The GIL changed hands {h} times "
                            "({hs} per second), and the median thread kept it for {p50} ms at a time.",
                      "uk": "{n} потоки(ів) працювали {wall} с з інтервалом перемикання {i} мс. GIL переходив з рук у "
                            "руки {h} разів ({hs} за секунду), а медіанний потік тримав його {p50} мс поспіль."},
    "read_lone": {"en": "{n} thread(s) ran for {wall} s and the GIL never changed hands: with nobody waiting, "
                        "the switch interval ({i} ms) never fires.",
                  "uk": "{n} потік(и) працювали {wall} с, і GIL жодного разу не перейшов до іншого: коли ніхто "
                        "не чекає, інтервал перемикання ({i} мс) не спрацьовує."},
    "read_nogil": {"en": "This interpreter runs without a GIL, so there were no hand-offs to count.",
                   "uk": "Цей інтерпретатор працює без GIL, тож рахувати передачі нема чого."},
    "read_one_core": {"en": "The process used {c} cores: one thread ran Python at a time.",
                      "uk": "Процес використав {c} ядра: Python виконував один потік за раз."},
    "read_parallel": {"en": "The process used {c} cores: code that released the GIL ran in parallel.",
                      "uk": "Процес використав {c} ядра: код, що звільняв GIL, працював паралельно."},
    "read_convoy": {"en": "Threads waking from I/O waited {w} ms (median) before they ran again: about one switch "
                          "interval, because a busy thread held the GIL (the convoy effect).",
                    "uk": "Потоки, що прокидалися після введення-виведення, чекали {w} мс (медіана), перш ніж знову "
                          "працювати: приблизно один інтервал перемикання, бо GIL тримав зайнятий потік "
                          "(ефект конвою)."},
    "read_wake": {"en": "Threads waking from I/O ran again after {w} ms (median).",
                  "uk": "Потоки, що прокидалися після введення-виведення, знову працювали через {w} мс (медіана)."},
    "read_baseline": {"en": "The same work in one thread took {s} s: the threads took {r} times as long.",
                      "uk": "Та сама робота в одному потоці тривала {s} с: потоки витратили в {r} раза більше часу."},
    "read_coverage": {"en": "The timeline shows {th} of the {h} counted hand-offs exactly.",
                      "uk": "Графік точно показує {th} з {h} порахованих передач."},
    "read_observer": {"en": "The observer read the GIL {hz} times a second and used {cpu}% of one core.",
                      "uk": "Спостерігач читав GIL {hz} разів за секунду й використав {cpu}% одного ядра."},
}


def pick_lang(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The ?lang= parameter, then the remembered choice, then the browser's Accept-Language, then English."""
    for choice in (query, cookie):
        if choice in LANGS:
            return choice
    if accept:
        best, best_q = "en", -1.0
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
    return "en"


def table(lang: str) -> dict[str, str]:
    return {k: v[lang] for k, v in STRINGS.items()}
