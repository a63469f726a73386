/* gilscope: one PNG of a run view, for slides. Its title and spec line, its figures, then every plot and table it
   shows (the timeline first), each with its heading and the page's own legend, stacked in one canvas. Each plot is
   drawn by plotly.js's own Plotly.toImage (in the page: nothing leaves the machine), one plot per frame, so that
   the page keeps answering while the image is made. Loaded on the first press of the view's image button. */

const SCALE = 2;  // pixels per CSS pixel: sharp on a projector
const PAD = 16, GAP = 14, FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const INK = "#1d2430", MUTED = "#5b6472", RULE = "#e3e6eb";
export const TABLE_PX = 13, TABLE_MIN_PX = 8, CELL_PAD = 6;

const nextFrame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("a plot's image did not load"));
    img.src = url;
  });
}

/* A plain colour for a legend swatch (a CSS gradient gives its first colour). */
function swatchColour(css) {
  const m = /#[0-9a-fA-F]{3,8}|rgba?\([^)]*\)/.exec(String(css || ""));
  return m ? m[0] : MUTED;
}

/* Lines of text wrapped to width px in the context's font. */
function wrap(ctx, text, width) {
  const out = [];
  let line = "";
  for (const word of String(text).split(/\s+/)) {
    const next = line ? line + " " + word : word;
    if (line && ctx.measureText(next).width > width) { out.push(line); line = word; } else line = next;
  }
  if (line) out.push(line);
  return out;
}

/* A table's rows as cells {text, head, right, bg}, as the page shows them (its colours and alignment). */
function tableRows(table) {
  return [...table.rows].map(row => [...row.cells].map(c => {
    const cs = getComputedStyle(c), bg = cs.backgroundColor;
    return {text: c.innerText.replace(/\s+/g, " ").trim(), head: c.tagName === "TH",
      right: cs.textAlign === "right" || cs.textAlign === "end",
      bg: bg && bg !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(bg) ? bg : null};
  }));
}

/* Columns for rows of cells in `width` px: each as wide as its widest cell at TABLE_PX, the font made smaller
   (down to TABLE_MIN_PX) when they do not fit, then the columns narrowed alike (a cell too wide is cut with an
   ellipsis when drawn). measure(text, px, bold) is a text's width. Pure, for the tests. */
export function tableLayout(rows, measure, width) {
  const cols = Math.max(0, ...rows.map(r => r.length));
  const natural = px => Array.from({length: cols}, (_, j) =>
    Math.max(0, ...rows.map(r => (r[j] ? Math.ceil(measure(r[j].text, px, r[j].head)) + 2 * CELL_PAD : 0))));
  const sum = ws => ws.reduce((a, b) => a + b, 0);
  let px = TABLE_PX, widths = natural(px);
  if (sum(widths) > width) {
    px = Math.max(TABLE_MIN_PX, Math.floor(px * width / sum(widths)));
    widths = natural(px);
  }
  if (sum(widths) > width) {
    const k = width / sum(widths);
    widths = widths.map(w => Math.floor(w * k));
  }
  const rowH = Math.round(px * 1.7);
  return {px, widths, rowH, width: sum(widths), height: rows.length * rowH};
}

/* The text cut to `width` px with an ellipsis (the context's font). */
function fit(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let t = text;
  while (t && ctx.measureText(t + "…").width > width) t = t.slice(0, -1);
  return t ? t + "…" : "";
}

function drawTable(ctx, rows, lay, x0, y0) {
  rows.forEach((row, i) => {
    const y = y0 + i * lay.rowH;
    let x = x0;
    row.forEach((c, j) => {
      const w = lay.widths[j] || 0;
      if (c.bg) { ctx.fillStyle = c.bg; ctx.fillRect(x, y, w, lay.rowH); }
      ctx.font = `${c.head ? 600 : 400} ${lay.px}px ${FONT}`;
      ctx.fillStyle = INK;
      const text = fit(ctx, c.text, w - 2 * CELL_PAD);
      const tx = c.right ? x + w - CELL_PAD - ctx.measureText(text).width : x + CELL_PAD;
      ctx.fillText(text, tx, y + (lay.rowH - lay.px) / 2);
      x += w;
    });
    ctx.fillStyle = RULE;
    ctx.fillRect(x0, y + lay.rowH - 1, lay.width, 1);
  });
}

/* The PNG as a Blob. spec: {title, lines: [text], blocks: [{heading, gd, legend: [{name, colour}]} or {heading,
   table}]}; gd: a Plotly figure on the page, table: an HTML table (either skipped when it is not shown). */
export async function viewImage(spec) {
  const shots = [];
  for (const b of spec.blocks) {
    if (b.table) {
      if (b.table.offsetParent && b.table.rows.length) shots.push({block: b, rows: tableRows(b.table), w: 0, h: 0});
      continue;
    }
    const gd = b.gd, fl = gd && gd._fullLayout;
    if (!fl || !gd.offsetParent) continue;
    await nextFrame();
    const url = await window.Plotly.toImage(gd, {format: "png", width: fl.width, height: fl.height, scale: SCALE});
    shots.push({block: b, img: await loadImage(url), w: fl.width, h: fl.height});
  }
  await nextFrame();
  const width = Math.max(800, ...shots.map(s => s.w)) + 2 * PAD;
  const measure = document.createElement("canvas").getContext("2d");
  const textH = (size, lines) => lines.length * Math.round(size * 1.35);
  measure.font = `600 20px ${FONT}`;
  const titleLines = wrap(measure, spec.title, width - 2 * PAD);
  measure.font = `14px ${FONT}`;
  const infoLines = spec.lines.flatMap(l => wrap(measure, l, width - 2 * PAD));
  const legendRows = shots.map(s => legendLayout(measure, s.block.legend || [], width - 2 * PAD));
  const cellWidth = (text, px, bold) => { measure.font = `${bold ? 600 : 400} ${px}px ${FONT}`; return measure.measureText(text).width; };
  for (const s of shots) {
    if (!s.rows) continue;
    s.table = tableLayout(s.rows, cellWidth, width - 2 * PAD);
    s.h = s.table.height;
  }
  let height = PAD + textH(20, titleLines) + 4 + textH(14, infoLines) + GAP;
  const heads = shots.map(s => (s.block.heading ? [s.block.heading] : []));
  shots.forEach((s, i) => { height += textH(15, heads[i]) + s.h + legendRows[i].height + GAP; });
  height += PAD;

  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * SCALE);
  canvas.height = Math.round(height * SCALE);
  const ctx = canvas.getContext("2d");
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = "top";
  let y = PAD;
  const text = (lines, size, weight, colour) => {
    ctx.font = `${weight} ${size}px ${FONT}`;
    ctx.fillStyle = colour;
    for (const l of lines) { ctx.fillText(l, PAD, y); y += Math.round(size * 1.35); }
  };
  text(titleLines, 20, 600, INK);
  y += 4;
  text(infoLines, 14, 400, MUTED);
  y += GAP;
  shots.forEach((s, i) => {
    text(heads[i], 15, 600, INK);
    if (s.table) drawTable(ctx, s.rows, s.table, PAD, y);
    else ctx.drawImage(s.img, PAD, y, s.w, s.h);
    y += s.h;
    drawLegend(ctx, legendRows[i], PAD, y);
    y += legendRows[i].height + GAP;
  });
  await nextFrame();
  return new Promise((resolve, reject) => canvas.toBlob(b => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"));
}

/* Legend entries laid out in rows: {items: [{x, row, name, colour}], height}. */
function legendLayout(ctx, entries, width) {
  ctx.font = `12px ${FONT}`;
  const items = [];
  let x = 0, row = 0;
  for (const e of entries) {
    const w = 16 + ctx.measureText(e.name).width + 18;
    if (x > 0 && x + w > width) { x = 0; row++; }
    items.push({x, row, name: e.name, colour: swatchColour(e.colour)});
    x += w;
  }
  return {items, height: items.length ? (row + 1) * 18 + 4 : 0};
}

function drawLegend(ctx, layout, x0, y0) {
  ctx.font = `12px ${FONT}`;
  for (const it of layout.items) {
    const y = y0 + 4 + it.row * 18;
    ctx.fillStyle = it.colour;
    ctx.fillRect(x0 + it.x, y + 2, 12, 10);
    ctx.fillStyle = INK;
    ctx.fillText(it.name, x0 + it.x + 16, y);
  }
}
