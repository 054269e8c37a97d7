import { describe, expect, it } from "vitest";
import {
  type CadenceError,
  cadenceOrDefault,
  DEFAULT_CADENCE,
  describeCadenceError,
  parseCadence,
} from "../../src/domain/cadence";

// SPEC 3: cadence steps are days or longer (d, bd, w, mo, y), each at most one year, at most
// 8 steps; anything else is refused with the reason.
describe("parseCadence", () => {
  it.each([
    ["3bd,1w,2w,3mo", ["3 businessDay", "1 week", "2 week", "3 month"]],
    ["3bd, 1w; 2 weeks , 3MO", ["3 businessDay", "1 week", "2 week", "3 month"]],
    ["1d", ["1 day"]],
    ["1y", ["1 year"]],
    ["12mo, 52w, 365d, 260bd", ["12 month", "52 week", "365 day", "260 businessDay"]],
    ["1d,1d,1d,1d,1d,1d,1d,1d", Array.from({ length: 8 }, () => "1 day")],
  ])("accepts %j", (text, steps) => {
    const parsed = parseCadence(text);
    expect(parsed.ok && parsed.value.map((s) => `${s.amount} ${s.unit}`)).toEqual(steps);
  });

  it.each<[string, CadenceError]>([
    ["", { kind: "empty" }],
    [" , ; ", { kind: "empty" }],
    ["1d,1d,1d,1d,1d,1d,1d,1d,1d", { kind: "too-many", steps: 9 }],
    ["3 fortnights", { kind: "not-a-wait", step: "3 fortnights" }],
    ["soon", { kind: "not-a-wait", step: "soon" }],
    ["1000d", { kind: "not-a-wait", step: "1000d" }],
    ["0d", { kind: "zero", step: "0d" }],
    ["1m", { kind: "under-a-day", step: "1m" }],
    ["1h", { kind: "under-a-day", step: "1h" }],
    ["3bd, 45 mins", { kind: "under-a-day", step: "45 mins" }],
    ["999y", { kind: "over-a-year", step: "999y" }],
    ["2y", { kind: "over-a-year", step: "2y" }],
    ["13mo", { kind: "over-a-year", step: "13mo" }],
    ["53w", { kind: "over-a-year", step: "53w" }],
    ["366d", { kind: "over-a-year", step: "366d" }],
    ["261bd", { kind: "over-a-year", step: "261bd" }],
  ])("refuses %j", (text, error) => {
    expect(parseCadence(text)).toEqual({ ok: false, error });
  });

  it("refuses text longer than 200 characters instead of cutting steps off it", () => {
    expect(parseCadence(`1d,${" ".repeat(300)}2d`)).toEqual({
      ok: false,
      error: { kind: "too-long", length: 305 },
    });
    const hostile = parseCadence("1d,".repeat(300_000));
    expect(hostile.ok ? "ok" : hostile.error.kind).toBe("too-long");
  });

  it("falls back to the default for a stored cadence the limits now refuse", () => {
    const fallback = cadenceOrDefault(DEFAULT_CADENCE);
    expect(cadenceOrDefault("1h")).toEqual(fallback);
    expect(cadenceOrDefault("999y")).toEqual(fallback);
    expect(cadenceOrDefault("2d,2d")).toEqual([
      { amount: 2, unit: "day" },
      { amount: 2, unit: "day" },
    ]);
  });
});

describe("describeCadenceError", () => {
  it.each<[CadenceError, string]>([
    [{ kind: "empty" }, "Give 1 to 8 waits separated by commas, for example: 3bd, 1w, 2w, 3mo."],
    [
      { kind: "too-many", steps: 9 },
      "That is 9 waits; give at most 8, for example: 3bd, 1w, 2w, 3mo.",
    ],
    [
      { kind: "not-a-wait", step: "3 fortnights" },
      '"3 fortnights" is not a wait: give a number and a unit (d, bd, w, mo or y), for example: 3bd, 1w, 2w, 3mo.',
    ],
    [{ kind: "zero", step: "0d" }, '"0d" is a wait of zero; each wait is at least 1 day.'],
    [
      { kind: "under-a-day", step: "1h" },
      '"1h" is shorter than a day; cadence waits are days or longer (d, bd, w, mo or y).',
    ],
    [
      { kind: "over-a-year", step: "999y" },
      '"999y" is longer than a year; each wait is at most 1y (365d, 260bd, 52w or 12mo).',
    ],
  ])("%j", (error, sentence) => {
    expect(describeCadenceError(error)).toBe(sentence);
  });
});
