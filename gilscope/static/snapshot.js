/* gilscope: one PNG of a run view, for slides. Its title and spec line, its figures, then every plot it shows
   (the timeline first), each with its heading and the page's own legend, stacked in one canvas. Each plot is
   drawn by plotly.js's own Plotly.toImage (in the page: nothing leaves the machine), one plot per frame, so that
   the page keeps answering while the image is made. Loaded on the first press of the view's image button. */

const SCALE = 2;  // pixels per CSS pixel: sharp on a projector
const PAD = 16, GAP = 14, FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const INK = "#1d2430", MUTED = "#5b6472";

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

/* The PNG as a Blob. spec: {title, lines: [text], blocks: [{heading, gd, legend: [{name, colour}]}]}; gd: a
   Plotly figure on the page (skipped when it has no layout yet or is not shown). */
export async function viewImage(spec) {
  const shots = [];
  for (const b of spec.blocks) {
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
    ctx.drawImage(s.img, PAD, y, s.w, s.h);
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
