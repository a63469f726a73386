// snapshot.js: a table of the run view laid out for the slide image (columns, font size, row height).
import {test} from "node:test";
import assert from "node:assert/strict";
import {CELL_PAD, TABLE_MIN_PX, TABLE_PX, tableLayout} from "../../gilscope/static/snapshot.js";

// a monospace stand-in for the canvas: each character 0.6 of the font size wide, bold a tenth wider
const measure = (text, px, bold) => text.length * px * 0.6 * (bold ? 1.1 : 1);
const cell = (text, head = false) => ({text, head, right: false, bg: null});
const rows = [
  [cell("thread", true), cell("kind", true), cell("GIL wait s", true)],
  [cell("cpu-1"), cell("cpu"), cell("0.51")],
  [cell("sleep-1"), cell("sleep"), cell("0.0021")],
];

test("a table that fits keeps the page's size, each column as wide as its widest cell", () => {
  const lay = tableLayout(rows, measure, 1000);
  assert.equal(lay.px, TABLE_PX);
  assert.equal(lay.widths.length, 3);
  assert.equal(lay.widths[0], Math.ceil(measure("sleep-1", TABLE_PX, false)) + 2 * CELL_PAD);
  assert.equal(lay.widths[2], Math.ceil(measure("GIL wait s", TABLE_PX, true)) + 2 * CELL_PAD);
  assert.equal(lay.width, lay.widths.reduce((a, b) => a + b, 0));
  assert.equal(lay.height, 3 * lay.rowH);
  assert.ok(lay.rowH > lay.px);
});

test("a table too wide for the image gets a smaller font, and never outgrows the width", () => {
  const wide = [Array.from({length: 12}, (_, j) => cell(`thread-number-${j}`, true)),
    Array.from({length: 12}, (_, j) => cell(String(j * 1000)))];
  for (const width of [900, 400, 120]) {
    const lay = tableLayout(wide, measure, width);
    assert.ok(lay.px < TABLE_PX && lay.px >= TABLE_MIN_PX, `${lay.px} px at ${width}`);
    assert.ok(lay.width <= width, `${lay.width} > ${width}`);
    assert.equal(lay.widths.length, 12);
  }
});

test("rows of different lengths and an empty table", () => {
  const lay = tableLayout([[cell("a"), cell("b")], [cell("only")]], measure, 500);
  assert.equal(lay.widths.length, 2);
  assert.deepEqual(tableLayout([], measure, 500), {px: TABLE_PX, widths: [], rowH: lay.rowH, width: 0, height: 0});
});
