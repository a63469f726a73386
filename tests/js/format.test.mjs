// format.js: numbers in the page's language, {var} substitution, plural forms (English 2, Ukrainian 3).
import {test} from "node:test";
import assert from "node:assert/strict";
import {fmt, interpolate, makeI18n, pluralIndex, pluralize, translate} from "../../gilscope/static/format.js";

const NBSP = /[\u00a0\u202f ]/;

test("fmt: significant digits below 1000, whole and grouped from 1000", () => {
  assert.equal(fmt(5), "5");
  assert.equal(fmt(0.05), "0.05");
  assert.equal(fmt(0.123456), "0.123");
  assert.equal(fmt(1.23456, 2), "1.2");
  assert.equal(fmt(12.5, 2), "13");
  assert.equal(fmt(999.7), "1,000");  // rounds up across the line and is grouped like any other thousand
  assert.equal(fmt(1234.5), "1,235");
  assert.equal(fmt(-0.5), "-0.5");
  assert.equal(fmt(0), "0");
});

test("fmt: nothing to show is a dash", () => {
  for (const x of [null, undefined, NaN, "3"]) assert.equal(fmt(x), "–");
  assert.equal(fmt(Infinity), "∞");
});

test("fmt: Ukrainian uses a decimal comma and a space between thousands", () => {
  assert.equal(fmt(0.05, 3, "uk"), "0,05");
  assert.equal(fmt(2.5, 3, "uk"), "2,5");
  const big = fmt(12345.6, 3, "uk");
  assert.match(big, /^12.346$/);
  assert.match(big[2], NBSP);
  assert.equal(fmt(5, 3, "uk"), "5");
});

test("interpolate: every {var}, every time; unknown placeholders stay", () => {
  assert.equal(interpolate("{a} and {a} of {b}", {a: 1, b: "x"}), "1 and 1 of x");
  assert.equal(interpolate("{missing} stays", {}), "{missing} stays");
  assert.equal(interpolate("{n}", {n: 0}), "0");
});

test("translate: the table's string, or the key when the table lacks it", () => {
  const T = {hello: "Hello, {who}", forms: ["{n} thread", "{n} threads"]};
  assert.equal(translate(T, "hello", {who: "class"}), "Hello, class");
  assert.equal(translate(T, "nope"), "nope");
  assert.equal(translate(null, "nope"), "nope");
  assert.equal(translate(T, "forms", {n: 1}), "1 thread");  // a plural entry asked for as a plain string
  assert.equal(translate(T, "forms", {n: 3}), "3 threads");
});

test("pluralIndex: English one/other", () => {
  assert.deepEqual([0, 1, 2, 11, 21, 1.5].map(n => pluralIndex("en", n)), [1, 0, 1, 1, 1, 1]);
});

test("pluralIndex: Ukrainian one/few/many by the last one and two digits", () => {
  const cases = {
    0: [1, 21, 31, 101, 121, 1001],
    1: [2, 3, 4, 22, 23, 24, 102, 104, 1002],
    2: [0, 5, 9, 10, 11, 12, 13, 14, 15, 20, 25, 100, 111, 112, 114, 1000],
  };
  for (const [form, ns] of Object.entries(cases)) {
    for (const n of ns) assert.equal(pluralIndex("uk", n), Number(form), `n=${n}`);
  }
  assert.equal(pluralIndex("uk", -21), 0);
  assert.equal(pluralIndex("uk", 1.5), 1);  // fractions: the "few" form (потоки)
  assert.equal(pluralIndex("uk", Infinity), 2);
});

test("pluralize: the form for the count, {n} formatted in the language", () => {
  const T = {n_threads: ["{n} потік", "{n} потоки", "{n} потоків"]};
  const out = [1, 2, 5, 11, 12, 21, 22, 25, 111].map(n => pluralize(T, "uk", "n_threads", n));
  assert.deepEqual(out, ["1 потік", "2 потоки", "5 потоків", "11 потоків", "12 потоків", "21 потік", "22 потоки",
    "25 потоків", "111 потоків"]);
  assert.match(pluralize(T, "uk", "n_threads", 1001), /^1.001 потік$/);
  assert.equal(pluralize(T, "uk", "n_threads", 3, {n: "three"}), "three потоки");  // vars win over {n}
});

test("pluralize: a plain string serves every count; short arrays and missing keys fall back", () => {
  const T = {dropped: "{n} segments were dropped", two: ["{n} thread", "{n} threads"], empty: []};
  assert.equal(pluralize(T, "uk", "dropped", 5), "5 segments were dropped");
  assert.equal(pluralize(T, "uk", "two", 5), "5 threads");  // form 2 asked, the last form there is given
  assert.equal(pluralize(T, "en", "empty", 5), "empty");
  assert.equal(pluralize(T, "en", "nope", 5), "nope");
  assert.equal(pluralize(T, "en", "two", 1), "1 thread");
  assert.equal(pluralize(T, "en", "two", 1234), "1,234 threads");
});

test("makeI18n: tr, plural and fmt bound to a table and language", () => {
  const {tr, plural, fmt: f, lang} = makeI18n({hi: "Привіт, {x}", n: ["{n} потік", "{n} потоки", "{n} потоків"]}, "uk");
  assert.equal(lang, "uk");
  assert.equal(tr("hi", {x: 1}), "Привіт, 1");
  assert.equal(plural("n", 3), "3 потоки");
  assert.equal(tr("n", {n: 5}), "5 потоків");
  assert.equal(f(0.5), "0,5");
});
