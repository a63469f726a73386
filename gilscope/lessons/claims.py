"""The ten claims of the study notes and what each lesson's experiment does.

Each text is an English msgid; its Ukrainian translation in gilscope/locale/uk is, for the claim itself, quoted
from the notes (gilscope/notes/, read with gilscope.notes.ukrainian()) with only the markup removed (bold,
backticks, wiki links, callout markers), so the page shows exactly what the student wrote. The English claim
follows the English rendering beside the notes. The tests check that every Ukrainian quote is found in the notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from gilscope.locale import N_


@dataclass(frozen=True)
class Claim:
    """English msgids: translate with _() where they are shown."""

    title: str
    claim: str
    experiment: str


CLAIMS: dict[str, Claim] = {
    "C1": Claim(
        N_("One thread at a time, whatever the cores"),
        N_(
            "The GIL can serve only one thread of a Python program at any moment: only one thread can execute "
            "Python code, and this does not depend on the number of processor cores."
        ),
        N_(
            "One, two and four pure-Python threads run for the same time. If the claim holds, the cores used stay "
            "near 1 however many threads there are; above 1.3 cores the threads ran in parallel."
        ),
    ),
    "C2": Claim(
        N_("The interpreter switches every 5 ms"),
        N_(
            "To keep a Python thread from holding the GIL forever, the bytecode interpreter periodically (by "
            "default every 5 milliseconds) suspends the current thread and so releases the GIL. The thread may try "
            "to take the GIL again, but if other threads are waiting for it, the OS scheduler may pick one of them."
        ),
        N_(
            "Two CPU-bound threads at the default interval of 5 ms, then one such thread alone. The median time one "
            "thread holds the GIL is compared with the interval, and the lone thread's hand-offs are counted."
        ),
    ),
    "C3": Claim(
        N_("Single-threaded code beats threads"),
        N_(
            "Since the GIL serves only one thread anyway, linear (single-threaded) programs run faster, because the "
            "OS spends extra resources on switching thread contexts."
        ),
        N_(
            "The same pure-Python work runs in 2 and 4 threads and then sequentially in one, at 5 ms and at 0.1 ms. "
            "The threaded-to-sequential wall-time ratio decides: above 1.3 threads are clearly slower, below 0.85 "
            "they are faster."
        ),
    ),
    "C4": Claim(
        N_("Exceptions: I/O, and C code with its own threads"),
        N_(
            "The exceptions are I/O operations and C code that itself starts several threads for CPU-bound "
            "computations."
        ),
        N_(
            "One Python thread multiplies matrices with NumPy, with BLAS allowed one thread and then two; two "
            "sleeping threads stand for I/O. More than 1.3 cores from a single Python thread shows the C exception."
        ),
    ),
    "C5": Claim(
        N_("The developer cannot influence the GIL"),
        N_("The developer cannot influence how the GIL works in any way."),
        N_(
            "Three levers are tried: sys.setswitchinterval (a sleeper beside a CPU-bound thread at 5 ms and 0.1 "
            "ms), a C call that releases the GIL (hashlib on 64 KiB vs 1 KiB), and a free-threaded interpreter "
            "where one is installed. Each lever that changes the measurement by a clear factor counts against the "
            "claim."
        ),
    ),
    "C6": Claim(
        N_("System calls release the GIL: disk, network, sleep"),
        N_(
            "Any standard-library function that makes a system call releases the GIL: all functions doing disk I/O, "
            "network I/O, and time.sleep()."
        ),
        N_(
            "A sleeping thread, a file thread and a socket thread run beside one CPU-bound thread at 5 ms, then "
            "alone. They must keep progressing; their wake latency (from the moment a call could return to the "
            "moment the thread runs Python again) shows what each release costs."
        ),
    ),
    "C7": Claim(
        N_("NumPy, zlib, bz2 and hashlib release the GIL"),
        N_(
            "Many numeric functions in NumPy/SciPy, and the compression/decompression functions of the zlib and bz2 "
            "modules also release the GIL. Some heavy computations written in pure C, and the hashlib library, "
            "release the GIL too."
        ),
        N_(
            "Two threads of each kind: NumPy, zlib, bz2, hashlib on 64 KiB and on 1 KiB calls, with sorted, re and "
            "json as C code that keeps the GIL. A kind releases the GIL when its two threads use more than 1.4 "
            "cores."
        ),
    ),
    "C8": Claim(
        N_("Network apps hardly depend on the GIL"),
        N_(
            "Since network I/O releases the GIL and is clearly slower than I/O to the process's own memory, "
            "programming networked applications in Python in multithreaded mode practically does not depend on the "
            "GIL."
        ),
        N_(
            "A threaded echo server (4 threads) answers a load generator in another process, beside 0, 1 or 2 "
            "CPU-bound threads, at 0.1, 1 and 5 ms. The claim holds if one CPU thread costs the server less than "
            "half its requests per second."
        ),
    ),
    "C9": Claim(
        N_("The GIL protects reference counts from races"),
        N_(
            "The first factor is the garbage collector. It checks the reference-count field of Python objects; "
            "under a race condition this field could be modified (incremented or decremented) by several threads at "
            "once. The GIL prevents that."
        ),
        N_(
            "Threads churn references to one shared object and increment a shared counter with a read and a write "
            "separated by a function call, at 5 ms and at 0.05 ms. The object's reference count must come back "
            "unchanged; lost increments show what the GIL does not protect."
        ),
    ),
    "C10": Claim(
        N_("The GIL keeps C extensions simple; they may release it"),
        N_(
            "The second factor: the GIL makes writing C extensions simpler. Authors may assume that only one thread "
            "runs their extension at any moment, so they need no extra locking to make the code thread-safe. When "
            "they want to run code in parallel, they can release the GIL."
        ),
        N_(
            "A CPU-bound Python thread runs alone, then beside a C call that keeps the GIL (re; hashlib on 1 KiB) "
            "and beside one that releases it (zlib; hashlib on 64 KiB). The Python thread's speed, as a share of "
            "its speed alone, shows whether the C call let it run."
        ),
    ),
}
