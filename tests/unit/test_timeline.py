"""Analysis on hand-made probe records: exact expectations."""

from gilscope.analysis.timeline import HolderStrip, ThreadTimeline, epoch_stats
from gilscope.records import FREE, HOLDING, IO, OTHER, REC_HOLD, REC_REGION, WAITING

MS = 1_000_000


def test_two_threads_alternating_make_exact_epochs_and_slices():
    epochs: dict = {}
    a, b = ThreadTimeline(0, "hold"), ThreadTimeline(1, "hold")
    # A holds epochs 0 and 2, B holds 1 and 3; units of 0.1 ms; slices of 5 ms.
    a.feed([(REC_HOLD, 100_000, 5 * MS, 0, 0, 50), (REC_HOLD, 10 * MS + 100_000, 15 * MS, 2, 2, 50)], epochs)
    segs_b = b.feed(
        [(REC_HOLD, 5 * MS + 100_000, 10 * MS, 1, 1, 50), (REC_HOLD, 15 * MS + 100_000, 20 * MS, 3, 3, 50)], epochs
    )
    stats = epoch_stats(epochs)
    assert stats.timeline_handoffs == 3
    assert stats.matrix == {(0, 1): 2, (1, 0): 1}
    assert [round(s / MS, 2) for s in stats.slices_ns] == [5.0, 5.0, 5.0]
    assert [s[2] for s in segs_b] == [HOLDING, WAITING, HOLDING]
    assert b.wait_ns == 5 * MS


def test_missing_epoch_is_not_counted_on_the_timeline():
    epochs: dict = {}
    a = ThreadTimeline(0, "hold")
    a.feed([(REC_HOLD, 0, MS, 0, 0, 10), (REC_HOLD, 5 * MS, 6 * MS, 2, 2, 10)], epochs)
    assert epoch_stats(epochs).timeline_handoffs == 0  # epoch 1 was never seen: no hand-off drawn


def test_sleep_region_splits_io_and_wait_and_measures_wake_latency():
    epochs: dict = {}
    t = ThreadTimeline(0, "release", region_state=IO)
    # slept 1 ms from t=0, could resume at 1 ms, got the GIL back at 5 ms; another thread held it meanwhile
    segs = t.feed([(REC_REGION, 0, 5 * MS, 7, 9, 1 * MS)], epochs)
    assert segs == [(0, MS, IO), (MS, 5 * MS, WAITING)]
    assert t.wake_latencies_ns == [4 * MS]


def test_live_tail_then_closing_record_does_not_repeat_time():
    epochs: dict = {}
    t = ThreadTimeline(0, "hold")
    first = t.tail(cur_start=0, cur_last=3 * MS, last_record_t1=None)
    later = t.feed([(REC_HOLD, 0, 5 * MS, 0, 0, 50)], epochs)
    assert first == [(0, 3 * MS, HOLDING)] and later == [(3 * MS, 5 * MS, HOLDING)]


def test_holder_strip_runs():
    strip = HolderStrip({111: 0, 222: 1})
    segs = strip.feed([0, 1, 2, 3, 4], [111, 111, 222, 222, 999], [1, 1, 1, 0, 1]) + strip.flush()
    assert segs == [(0, 2, 0), (2, 3, 1), (3, 4, FREE)]
    assert strip.changes == 2  # 0 -> 1, then 1 -> (free) -> another thread
    assert strip.who == OTHER


def test_the_holder_strip_never_joins_two_holds_the_counter_separates():
    from gilscope.analysis.timeline import HolderStrip

    strip = HolderStrip({0xA: 0, 0xB: 1})
    # thread 0 seen at t=0,10 (counter 5), then at t=20,30 after the counter moved twice (another thread held it
    # in between, unseen): two holds, with no span over the gap between 10 and 20
    spans = strip.feed([0, 10, 20, 30, 40], [0xA, 0xA, 0xA, 0xA, 0xB], [1, 1, 1, 1, 1], [5, 5, 7, 7, 8])
    assert spans == [(0, 10, 0), (20, 40, 0)]
    # without the counter (older callers) the strip is as before: one span
    strip = HolderStrip({0xA: 0, 0xB: 1})
    assert strip.feed([0, 10, 20, 30, 40], [0xA, 0xA, 0xA, 0xA, 0xB], [1, 1, 1, 1, 1]) == [(0, 40, 0)]
