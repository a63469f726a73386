"""The web run service without a server: stream slots are given back however a stream ends, and a stored run
is looked up and streamed through the same interface as a live one."""

from __future__ import annotations

import asyncio
import json

import pytest

from gilscope.config import limits
from gilscope.store import RunDB, RunRecord
from gilscope.web.runs import RunManager
from gilscope.web.viewers import TooManyStreams, Viewers


def test_a_stream_slot_is_given_back_when_the_stream_raises() -> None:
    async def scenario() -> None:
        viewers = Viewers(max_streams=2, per_client=1)
        with pytest.raises(RuntimeError):
            async with viewers.slot("a"):
                assert viewers.open == 1 and viewers.of == {"a": 1}
                raise RuntimeError("the stream broke")
        assert viewers.open == 0 and viewers.of == {}
        async with viewers.slot("a"):
            with pytest.raises(TooManyStreams):  # the client's cap
                async with viewers.slot("a"):
                    pass
            async with viewers.slot("b"):
                with pytest.raises(TooManyStreams):  # the server's cap
                    async with viewers.slot("c"):
                        pass
                assert viewers.open == 2 and viewers.of == {"a": 1, "b": 1}  # a refusal takes no slot
        assert viewers.open == 0 and viewers.of == {}

    asyncio.run(scenario())


def test_a_cancelled_stream_gives_its_slot_back() -> None:
    async def scenario() -> None:
        viewers = Viewers(max_streams=5, per_client=5)

        async def stream() -> None:
            async with viewers.slot("a"):
                await asyncio.sleep(60)

        task = asyncio.create_task(stream())
        await asyncio.sleep(0)
        assert viewers.open == 1
        task.cancel()  # the browser went away
        with pytest.raises(asyncio.CancelledError):
            await task
        assert viewers.open == 0 and viewers.of == {}

    asyncio.run(scenario())


def test_a_stored_run_is_looked_up_and_streamed_like_a_live_one(tmp_path) -> None:
    from gilscope.web.api import _stream

    db = RunDB(tmp_path)
    spec = {"mix": [{"kind": "cpu", "threads": 2}], "switch_interval_s": 0.005, "duration_s": 1.0}
    db.save_run(RunRecord(id="s1", created=1.0, status="done", spec=spec, summary={"handoffs": 3}, source="trace"))
    events = [json.dumps({"type": "tick", "t_s": 0.5}), json.dumps({"type": "failed", "error": "x"})]
    db.save_events("s1", events)

    async def scenario() -> None:
        service = RunManager(limits(), db)
        try:
            record = await service.lookup("s1")
            assert record is not None and record.summary == {"handoffs": 3} and record.source == "trace"
            assert await service.lookup("nope") is None and await service.event_log("nope") is None
            assert await service.events("s1") == events
            assert service.progress("s1") is None  # only the store holds it
            log = await service.event_log("s1")
            assert log is not None
            sent = [str(e.raw_data) async for e in _stream(log, 0, "en")]
            assert sent == events
        finally:
            await service.cache.close()

    asyncio.run(scenario())
    db.close()
