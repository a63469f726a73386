"""The catalogue of thread workloads: what each kind does, its parameters and bounds, and how it treats the GIL.

Stdlib only: the experiment's worker imports this under any CPython on the list. The texts are English msgids,
marked for the catalogs with N_ and translated where they are shown (the server's /api/workloads).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gilscope.locale import N_

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
    unit: str  # English msgid
    help: str  # English msgid
    integer: bool = True


@dataclass(frozen=True)
class Kind:
    name: str
    style: str  # HOLD or RELEASE
    region: str  # what a released region is called on the timeline: "io" or "native" ("" for hold kinds)
    releases_gil: str  # "yes", "no", or "param" (decided by a parameter, see releases())
    title: str  # English msgid, like explain
    explain: str
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


_CHUNK = Param("chunk", 1000, 100, 100_000, N_("iterations"), N_("Loop iterations between two progress stamps."))

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "cpu",
            HOLD,
            "",
            "no",
            N_("Pure-Python loop"),
            N_(
                "A loop of Python arithmetic. It needs the GIL for every bytecode, so two of them take turns: the "
                "waiting one asks the holder to drop the lock after the switch interval."
            ),
            (_CHUNK,),
        ),
        Kind(
            "sleep",
            RELEASE,
            "io",
            "yes",
            "time.sleep",
            N_(
                "Sleeps in short naps. time.sleep releases the GIL; on waking the thread must take it back, and "
                "if a CPU-bound thread holds it, waits up to one switch interval (the convoy effect)."
            ),
            (Param("sleep_ms", 1, 0.05, 100, N_("ms"), N_("Length of one nap."), False),),
        ),
        Kind(
            "file",
            RELEASE,
            "io",
            "yes",
            N_("File write + fsync + read"),
            N_(
                "Writes a block to a file in a temporary folder, flushes it to disk with fsync and reads it back. "
                "The system calls run without the GIL."
            ),
            (Param("block_kib", 64, 1, 4096, N_("KiB"), N_("Block size.")),),
        ),
        Kind(
            "socket",
            RELEASE,
            "io",
            "yes",
            N_("Socket request/response"),
            N_(
                "Sends a request over loopback TCP to an echo peer in another process and waits for the answer. "
                "send and recv release the GIL; the reply's arrival time comes from the peer's own clock."
            ),
            (Param("payload_bytes", 64, 1, 65536, N_("bytes"), N_("Request size.")),),
        ),
        Kind(
            "numpy",
            RELEASE,
            "native",
            "yes",
            N_("NumPy matmul"),
            N_(
                "Multiplies two square matrices with NumPy. The BLAS call releases the GIL; BLAS may also start "
                "threads of its own (set here explicitly)."
            ),
            (
                Param("n", 200, 10, 2000, N_("rows"), N_("Matrix size n x n.")),
                Param("blas_threads", 1, 1, 64, N_("threads"), N_("BLAS threads in the process.")),
            ),
        ),
        Kind(
            "zlib",
            RELEASE,
            "native",
            "yes",
            "zlib.compress",
            N_("Compresses a block with zlib. The C code releases the GIL while it works."),
            (Param("block_kib", 64, 1, 4096, N_("KiB"), N_("Block size.")),),
        ),
        Kind(
            "bz2",
            RELEASE,
            "native",
            "yes",
            "bz2.compress",
            N_("Compresses a block with bz2, which releases the GIL while it works."),
            (Param("block_kib", 64, 1, 4096, N_("KiB"), N_("Block size.")),),
        ),
        Kind(
            "lzma",
            RELEASE,
            "native",
            "yes",
            "lzma.compress",
            N_("Compresses a block with lzma, which releases the GIL while it works."),
            (Param("block_kib", 64, 1, 4096, N_("KiB"), N_("Block size.")),),
        ),
        Kind(
            "hashlib",
            RELEASE,
            "native",
            "param",
            "hashlib.sha256",
            N_(
                "Hashes a buffer with SHA-256, feeding 1 MiB per unit in update() calls of the chosen size. CPython "
                "releases the GIL only for calls of 2048 bytes or more: 1 KiB calls keep it, 64 KiB calls release it."
            ),
            (Param("buffer_bytes", 65536, 64, 1 << 22, N_("bytes"), N_("Bytes per update() call.")),),
        ),
        Kind(
            "sorted",
            HOLD,
            "",
            "no",
            "sorted()",
            N_("Sorts a list of numbers. The sort runs in C but keeps the GIL for its whole length."),
            (Param("size", 2000, 10, 1_000_000, N_("items"), N_("List length.")),),
        ),
        Kind(
            "regex",
            HOLD,
            "",
            "no",
            "re.findall",
            N_("Runs a regular expression over text. The re engine is C code that keeps the GIL."),
            (Param("text_kib", 8, 1, 4096, N_("KiB"), N_("Text size.")),),
        ),
        Kind(
            "json",
            HOLD,
            "",
            "no",
            "json.dumps + loads",
            N_("Encodes and decodes a document with json's C accelerator, which keeps the GIL."),
            (Param("items", 200, 1, 100_000, N_("items"), N_("Items in the document.")),),
        ),
        Kind(
            "echo_server",
            RELEASE,
            "io",
            "yes",
            N_("Threaded echo server"),
            N_(
                "One thread per connection of a loopback TCP echo server; a load generator in another process keeps "
                "one request in flight per connection and measures requests per second and latency."
            ),
            (Param("payload_bytes", 64, 1, 65536, N_("bytes"), N_("Request size.")),),
        ),
        Kind(
            "race",
            HOLD,
            "",
            "no",
            N_("Shared counter race"),
            N_(
                "Increments a shared counter with a read, a function call, and a write. The GIL keeps reference counts "
                "right, but a switch inside the call loses other threads' increments."
            ),
            (_CHUNK,),
        ),
    )
}
