"""Pure writers of a stored run, one module per format: plain data in, text out (like VizTracer's report
builders), so the server, the CLI and tests share them."""

from gilscope.exports.chrome_trace import chrome_trace
from gilscope.exports.segments_csv import segments_csv
from gilscope.exports.stream import RunData, from_events
from gilscope.exports.summary_json import summary_json

__all__ = ["RunData", "chrome_trace", "from_events", "segments_csv", "summary_json"]
