// The syntax of parseWhen: turns a local part into what it says, without deciding any
// instant (time-grammar.ts resolves it against now and the user's settings).
import { UNIT_WORDS } from "./time-duration";
import {
  attempt,
  type ClockAst,
  MONTH_WORDS,
  parseClockPart,
  type Scanner,
  WEEKDAY_WORDS,
} from "./time-scanner";
import type { DurationUnit } from "./time-types";

/** The day part of a time, as written. */
export type DayAst =
  | { kind: "today" }
  | { kind: "tomorrow" }
  | { kind: "nextweek" }
  | { kind: "nextmonth" }
  | { kind: "weekday"; weekday: number }
  | { kind: "date"; year: number | null; month: number; day: number }
  /** The amount stays text so an error can quote it as written. */
  | { kind: "relative"; amount: string; unit: DurationUnit };

/** A whole time as written: a day, a clock time, or both. */
export interface WhenAst {
  day: DayAst | null;
  clock: ClockAst | null;
}

const NEXT_WORDS = { ...WEEKDAY_WORDS, week: -1, month: -2 };
const ORDINALS = ["st", "nd", "rd", "th"];

/** Parses a whole local part; null (with the scanner's `near` set) when it is not a time. */
export function parseWhenAst(sc: Scanner): WhenAst | null {
  for (const form of [dayThenClock, relativeThenClock, clockThenDay]) {
    sc.pos = 0;
    const ast = form(sc);
    if (ast !== null && sc.atEnd()) return ast;
  }
  return null;
}

// `tomorrow9am`, `aug15`, `today5pm`: bare `today` is not a time, only a day.
function dayThenClock(sc: Scanner): WhenAst | null {
  const day = parseDay(sc);
  if (day === null) return null;
  const clock = parseClockPart(sc);
  if (day.kind === "today" && clock === null) return sc.stuck();
  return { day, clock };
}

// `3d`, `3d9am`: only whole days take a clock time; `2h9am` means nothing.
function relativeThenClock(sc: Scanner): WhenAst | null {
  const amount = sc.digits();
  if (amount === null) return null;
  const word = sc.word(UNIT_WORDS);
  const unit = word === null ? undefined : UNIT_WORDS[word];
  if (unit === undefined) return null;
  const clock = unit === "minute" || unit === "hour" ? null : parseClockPart(sc);
  return { day: { kind: "relative", amount, unit }, clock };
}

// `9am`, `at1300`, and the clock-first order `9am-tomorrow`.
function clockThenDay(sc: Scanner): WhenAst | null {
  const clock = parseClockPart(sc);
  if (clock === null) return null;
  return { day: parseDay(sc), clock };
}

/** A named day or a date; never a relative amount. */
function parseDay(sc: Scanner): DayAst | null {
  return (
    attempt(sc, namedDay) ??
    attempt(sc, isoDate) ??
    attempt(sc, monthFirstDate) ??
    attempt(sc, dayFirstDate)
  );
}

function namedDay(sc: Scanner): DayAst | null {
  const word = sc.word(["today", "tomorrow", "next", ...Object.keys(WEEKDAY_WORDS)]);
  if (word === null) return null;
  if (word === "today") return { kind: "today" };
  if (word === "tomorrow") return { kind: "tomorrow" };
  // `next` + weekday is just that weekday; longest match keeps `month` from being `mon`+`th`.
  const name = word === "next" ? sc.word(NEXT_WORDS) : word;
  if (name === null) return null;
  if (name === "week") return { kind: "nextweek" };
  if (name === "month") return { kind: "nextmonth" };
  const weekday = WEEKDAY_WORDS[name];
  return weekday === undefined ? sc.stuck() : { kind: "weekday", weekday };
}

// `2027-08-15`: the dashes are part of the date, so digits are read without skipping them.
function isoDate(sc: Scanner): DayAst | null {
  const year = sc.digits();
  if (year?.length !== 4 || sc.peek() !== "-") return sc.stuck();
  sc.pos += 1;
  const month = sc.digits(false);
  if (month === null || month.length > 2 || sc.peek() !== "-") return sc.stuck();
  sc.pos += 1;
  const day = sc.digits(false);
  if (day === null || day.length > 2) return sc.stuck();
  return { kind: "date", year: Number(year), month: Number(month), day: Number(day) };
}

// `aug15`, `august15th`, `aug15-2027`, `aug152027` (six digits: day then year).
function monthFirstDate(sc: Scanner): DayAst | null {
  const name = sc.word(MONTH_WORDS);
  const month = name === null ? undefined : MONTH_WORDS[name];
  if (month === undefined) return null;
  sc.skipSeparators();
  const run = sc.peekDigits();
  if (run.length === 0 || (run.length > 2 && run.length !== 6)) return sc.stuck();
  const day = Number(run.slice(0, 2));
  sc.pos += Math.min(run.length, 2);
  attempt(sc, (s) => s.word(ORDINALS, false));
  return { kind: "date", year: attempt(sc, yearPart), month, day };
}

// `15aug`, `3rd-april`, `15aug2027`.
function dayFirstDate(sc: Scanner): DayAst | null {
  const run = sc.digits();
  if (run === null || run.length > 2) return sc.stuck();
  attempt(sc, (s) => s.word(ORDINALS, false));
  const name = sc.word(MONTH_WORDS);
  const month = name === null ? undefined : MONTH_WORDS[name];
  if (month === undefined) return null;
  return { kind: "date", year: attempt(sc, yearPart), month, day: Number(run) };
}

/**
 * Four digits after a date are its year only when they start with 20 and are not followed
 * by am/pm or minutes: `aug15-2027` is a year, `aug15-1300` a time; 20:30 needs `at2030`.
 */
function yearPart(sc: Scanner): number | null {
  sc.skipSeparators();
  const run = sc.peekDigits();
  if (run.length !== 4 || !run.startsWith("20")) return null;
  const after = sc.text.slice(sc.pos + 4);
  if (/^(am|pm|[:.]\d)/.test(after)) return null;
  sc.pos += 4;
  return Number(run);
}
