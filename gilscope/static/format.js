/* gilscope: numbers and strings in the page's language. Pure: no document, no window (Node's tests import it).

   The string table maps a key to its translation, or for a plural to an array of forms in the order of the
   language's gettext rule (English: one, other; Ukrainian: one, few, many). */

const LOCALES = {en: "en-US", uk: "uk-UA"};
const formats = new Map();

function numberFormat(lang, options) {
  const key = lang + JSON.stringify(options);
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang] || lang || "en-US", options);
    formats.set(key, f);
  }
  return f;
}

/* A figure for people: `digits` significant digits below 1000, whole and grouped from 1000 on; "–" for none. */
export function fmt(x, digits = 3, lang = "en") {
  if (x === null || x === undefined || typeof x !== "number" || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  const rounded = Math.abs(x) >= 1000 ? x : Number(x.toPrecision(digits));
  if (Math.abs(rounded) >= 1000) return numberFormat(lang, {maximumFractionDigits: 0}).format(rounded);
  return numberFormat(lang, {maximumSignificantDigits: Math.min(21, Math.max(1, digits)), useGrouping: false})
    .format(rounded);
}

/* "{name}" in s replaced by vars.name, for every var; unknown placeholders stay as they are. */
export function interpolate(s, vars = {}) {
  let out = String(s);
  for (const [k, v] of Object.entries(vars)) out = out.split("{" + k + "}").join(String(v));
  return out;
}

/* Which plural form (index into the forms array) a count takes: gettext's rule for the language. */
export function pluralIndex(lang, n) {
  const a = Math.abs(Number(n));
  if (!Number.isFinite(a)) return lang === "uk" ? 2 : 1;
  if (lang === "uk") {
    if (!Number.isInteger(a)) return 1;  // fractions: "1,5 потоки" rather than a form of a whole count
    const d = a % 10, h = a % 100;
    if (d === 1 && h !== 11) return 0;
    if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return 1;
    return 2;
  }
  return a === 1 ? 0 : 1;  // English, and the fallback for other languages
}

function pick(entry, index) {
  if (Array.isArray(entry)) return entry.length ? entry[Math.min(index, entry.length - 1)] : null;
  return entry;
}

/* The translation of key with {vars} filled in; a missing key gives the key. A plural entry (an array of forms)
   takes the form for vars.n when it is a number, else its last form. */
export function translate(table, key, vars = {}, lang = "en") {
  const entry = table ? table[key] : undefined;
  const n = typeof vars.n === "number" ? vars.n : Infinity;
  const s = pick(entry, pluralIndex(lang, n));
  return interpolate(s === undefined || s === null ? key : s, vars);
}

/* The form of key for the count n, in lang, with {n} (the count, formatted) and vars filled in. A plain string
   entry serves every count; a missing key gives the key. */
export function pluralize(table, lang, key, n, vars = {}) {
  const entry = table ? table[key] : undefined;
  const s = pick(entry, pluralIndex(lang, n));
  const all = Object.assign({n: fmt(n, 3, lang)}, vars);
  return interpolate(s === undefined || s === null ? key : s, all);
}

/* The three helpers bound to one page's table and language. */
export function makeI18n(table, lang) {
  return {
    lang,
    fmt: (x, digits = 3) => fmt(x, digits, lang),
    tr: (key, vars = {}) => translate(table, key, vars, lang),
    plural: (key, n, vars = {}) => pluralize(table, lang, key, n, vars),
  };
}
