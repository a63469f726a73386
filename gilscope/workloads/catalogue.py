"""The catalogue of thread workloads: what each kind does, its parameters and bounds, and how it treats the GIL.

Stdlib only: the experiment's worker imports this under any CPython on the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How a kind's thread is probed: "hold" kinds run Python (or C that keeps the GIL) in small units and stamp
# each unit; "release" kinds make one call per unit that may release the GIL and stamp its begin and end.
HOLD = "hold"
RELEASE = "release"


@dataclass(frozen=True)
class Param:
    name: str
    default: float
    minimum: float
    maximum: float
    unit: str
    help_en: str
    help_uk: str
    integer: bool = True


@dataclass(frozen=True)
class Kind:
    name: str
    style: str  # HOLD or RELEASE
    region: str  # what a released region is called on the timeline: "io" or "native" ("" for hold kinds)
    releases_gil: str  # "yes", "no", or "param" (decided by a parameter, see releases())
    title_en: str
    title_uk: str
    explain_en: str
    explain_uk: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def releases(self, params: dict[str, float]) -> bool:
        if self.releases_gil == "param":
            # CPython's hashlib drops the GIL only for data of HASHLIB_GIL_MINSIZE (2048) bytes or more.
            return params.get("buffer_bytes", 0) >= 2048
        return self.releases_gil == "yes"

    def probe_style(self, params: dict[str, float]) -> str:
        """How the worker probes this thread: per call ("release") only where the call really releases."""
        return RELEASE if self.style == RELEASE and self.releases(params) else HOLD


_CHUNK = Param("chunk", 1000, 100, 100_000, "iterations",
               "Loop iterations between two progress stamps.", "Ітерацій циклу між двома позначками прогресу.")

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("cpu", HOLD, "", "no", "Pure-Python loop", "Цикл на чистому Python",
         "A loop of Python arithmetic. It needs the GIL for every bytecode, so two of them take turns: the "
         "waiting one asks the holder to drop the lock after the switch interval.",
         "Цикл арифметики на Python. Кожен байткод потребує GIL, тож два такі потоки чергуються: той, що "
         "чекає, просить власника віддати блокування після інтервалу перемикання.",
         (_CHUNK,)),
    Kind("sleep", RELEASE, "io", "yes", "time.sleep", "time.sleep",
         "Sleeps in short naps. time.sleep releases the GIL; on waking the thread must take it back, and "
         "if a CPU-bound thread holds it, waits up to one switch interval (the convoy effect).",
         "Спить короткими відрізками. time.sleep звільняє GIL; прокинувшись, потік мусить узяти його "
         "назад і, якщо ним володіє потік з обчисленнями, чекає до одного інтервалу перемикання (ефект конвою).",
         (Param("sleep_ms", 1, 0.05, 100, "ms", "Length of one nap.", "Тривалість одного сну.", False),)),
    Kind("file", RELEASE, "io", "yes", "File write + fsync + read", "Запис у файл + fsync + читання",
         "Writes a block to a file in a temporary folder, flushes it to disk with fsync and reads it back. "
         "The system calls run without the GIL.",
         "Записує блок у файл у тимчасовій теці, скидає його на диск через fsync і читає назад. "
         "Системні виклики виконуються без GIL.",
         (Param("block_kib", 64, 1, 4096, "KiB", "Block size.", "Розмір блоку."),)),
    Kind("socket", RELEASE, "io", "yes", "Socket request/response", "Запит/відповідь через сокет",
         "Sends a request over loopback TCP to an echo peer in another process and waits for the answer. "
         "send and recv release the GIL; the reply's arrival time comes from the peer's own clock.",
         "Надсилає запит через loopback TCP до ехо-співрозмовника в іншому процесі й чекає відповіді. "
         "send і recv звільняють GIL; час прибуття відповіді береться з годинника співрозмовника.",
         (Param("payload_bytes", 64, 1, 65536, "bytes", "Request size.", "Розмір запиту."),)),
    Kind("numpy", RELEASE, "native", "yes", "NumPy matmul", "Множення матриць NumPy",
         "Multiplies two square matrices with NumPy. The BLAS call releases the GIL; BLAS may also start "
         "threads of its own (set here explicitly).",
         "Перемножує дві квадратні матриці в NumPy. Виклик BLAS звільняє GIL; BLAS може ще й запускати "
         "власні потоки (тут їх кількість задано явно).",
         (Param("n", 200, 10, 2000, "rows", "Matrix size n x n.", "Розмір матриці n x n."),
          Param("blas_threads", 1, 1, 64, "threads", "BLAS threads in the process.",
                "Потоків BLAS у процесі."))),
    Kind("zlib", RELEASE, "native", "yes", "zlib.compress", "zlib.compress",
         "Compresses a block with zlib. The C code releases the GIL while it works.",
         "Стискає блок через zlib. Код на C звільняє GIL на час роботи.",
         (Param("block_kib", 64, 1, 4096, "KiB", "Block size.", "Розмір блоку."),)),
    Kind("bz2", RELEASE, "native", "yes", "bz2.compress", "bz2.compress",
         "Compresses a block with bz2, which releases the GIL while it works.",
         "Стискає блок через bz2, який звільняє GIL на час роботи.",
         (Param("block_kib", 64, 1, 4096, "KiB", "Block size.", "Розмір блоку."),)),
    Kind("lzma", RELEASE, "native", "yes", "lzma.compress", "lzma.compress",
         "Compresses a block with lzma, which releases the GIL while it works.",
         "Стискає блок через lzma, який звільняє GIL на час роботи.",
         (Param("block_kib", 64, 1, 4096, "KiB", "Block size.", "Розмір блоку."),)),
    Kind("hashlib", RELEASE, "native", "param", "hashlib.sha256", "hashlib.sha256",
         "Hashes a buffer with SHA-256, feeding 1 MiB per unit in update() calls of the chosen size. CPython "
         "releases the GIL only for calls of 2048 bytes or more: 1 KiB calls keep it, 64 KiB calls release it.",
         "Обчислює SHA-256 буфера, подаючи 1 MiB за одиницю викликами update() обраного розміру. CPython "
         "звільняє GIL лише для викликів від 2048 байтів: виклики по 1 KiB його тримають, по 64 KiB звільняють.",
         (Param("buffer_bytes", 65536, 64, 1 << 22, "bytes", "Bytes per update() call.",
                "Байтів на один виклик update()."),)),
    Kind("sorted", HOLD, "", "no", "sorted()", "sorted()",
         "Sorts a list of numbers. The sort runs in C but keeps the GIL for its whole length.",
         "Сортує список чисел. Сортування виконується на C, але тримає GIL увесь час.",
         (Param("size", 2000, 10, 1_000_000, "items", "List length.", "Довжина списку."),)),
    Kind("regex", HOLD, "", "no", "re.findall", "re.findall",
         "Runs a regular expression over text. The re engine is C code that keeps the GIL.",
         "Застосовує регулярний вираз до тексту. Рушій re написано на C, і він тримає GIL.",
         (Param("text_kib", 8, 1, 4096, "KiB", "Text size.", "Розмір тексту."),)),
    Kind("json", HOLD, "", "no", "json.dumps + loads", "json.dumps + loads",
         "Encodes and decodes a document with json's C accelerator, which keeps the GIL.",
         "Кодує й декодує документ C-прискорювачем json, який тримає GIL.",
         (Param("items", 200, 1, 100_000, "items", "Items in the document.", "Елементів у документі."),)),
    Kind("echo_server", RELEASE, "io", "yes", "Threaded echo server", "Багатопотоковий ехо-сервер",
         "One thread per connection of a loopback TCP echo server; a load generator in another process keeps "
         "one request in flight per connection and measures requests per second and latency.",
         "Один потік на кожне з'єднання локального TCP ехо-сервера; генератор навантаження в іншому процесі "
         "тримає по одному запиту на з'єднання й вимірює кількість запитів за секунду та затримку.",
         (Param("payload_bytes", 64, 1, 65536, "bytes", "Request size.", "Розмір запиту."),)),
    Kind("race", HOLD, "", "no", "Shared counter race", "Гонитва за спільним лічильником",
         "Increments a shared counter with a read, a function call, and a write. The GIL keeps reference counts "
         "right, but a switch inside the call loses other threads' increments.",
         "Збільшує спільний лічильник: читання, виклик функції, запис. GIL зберігає лічильники посилань "
         "правильними, але перемикання всередині виклику губить збільшення інших потоків.",
         (_CHUNK,)),
)}
