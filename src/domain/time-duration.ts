import { err, ok, type Result } from "./result";
import type { Duration, DurationUnit, TimeError, TimePrefs } from "./time-types";
import { forParsing } from "./untrusted";
import {
  addDays,
  addMonths,
  atLocalMinutes,
  type LocalDate,
  toLocal,
  weekdayOf,
} from "./zoned-time";

/** Every spelling of every unit; `mon` is months here, since a number comes first. */
export const UNIT_WORDS: Readonly<Record<string, DurationUnit>> = {
  m: "minute",
  min: "minute",
  mins: "minute",
  minute: "minute",
  minutes: "minute",
  h: "hour",
  hr: "hour",
  hrs: "hour",
  hour: "hour",
  hours: "hour",
  d: "day",
  day: "day",
  days: "day",
  bd: "businessDay",
  businessday: "businessDay",
  businessdays: "businessDay",
  weekday: "businessDay",
  weekdays: "businessDay",
  w: "week",
  wk: "week",
  wks: "week",
  week: "week",
  weeks: "week",
  mo: "month",
  mon: "month",
  month: "month",
  months: "month",
  y: "year",
  yr: "year",
  yrs: "year",
  year: "year",
  years: "year",
};

/** The largest amount a relative time or interval takes. */
const MAX_AMOUNT = 999;

const MINUTE_MS = 60_000;

/** Reads an amount written as digits: 1-999, 0 is zero-amount, more is unrecognized. */
export function checkAmount(digits: string, input: string): Result<number, TimeError> {
  const amount = Number(digits);
  if (amount === 0) return err({ kind: "zero-amount", input });
  if (amount > MAX_AMOUNT) return err({ kind: "unrecognized", input, near: digits });
  return ok(amount);
}

/**
 * Parses a duration such as "3bd", "1w", "2 weeks" or "3mo" (case, spaces, -, _ ignored);
 * reads at most 200 characters.
 */
export function parseDuration(untrusted: string): Result<Duration, TimeError> {
  const text = forParsing(untrusted);
  const bare = text.toLowerCase().replace(/[\s\-_.]/g, "");
  const match = /^(\d+)([a-z]+)$/.exec(bare);
  if (match === null) {
    // Quote what follows the amount when there is one: "3d9" is not understood at "d9".
    const near = bare.replace(/^\d+/, "") || text.trim();
    return err({ kind: "unrecognized", input: text, near });
  }
  const [, digits = "", word = ""] = match;
  const unit = UNIT_WORDS[word];
  if (unit === undefined) return err({ kind: "unrecognized", input: text, near: word });
  const amount = checkAmount(digits, text);
  if (!amount.ok) return amount;
  return ok({ amount: amount.value, unit });
}

/** True for Saturday and Sunday. */
function isWeekend(date: LocalDate): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

/** The Monday after a weekend date; any other date unchanged. */
export function mondayIfWeekend(date: LocalDate): LocalDate {
  const weekday = weekdayOf(date);
  if (weekday === 6) return addDays(date, 2);
  if (weekday === 0) return addDays(date, 1);
  return date;
}

/** The calendar date a day-or-longer duration lands on, counted from `date`. */
export function shiftDate(date: LocalDate, d: Duration): LocalDate {
  switch (d.unit) {
    case "minute":
    case "hour":
      return date;
    case "day":
      return addDays(date, d.amount);
    case "businessDay": {
      let day = date;
      for (let left = d.amount; left > 0; ) {
        day = addDays(day, 1);
        if (!isWeekend(day)) left -= 1;
      }
      return day;
    }
    case "week":
      return addDays(date, 7 * d.amount);
    case "month":
      return addMonths(date, d.amount);
    case "year":
      return addMonths(date, 12 * d.amount);
  }
}

/** True for units that are exact offsets rather than calendar days. */
export function isClockUnit(unit: DurationUnit): boolean {
  return unit === "minute" || unit === "hour";
}

/**
 * Adds a duration as addDuration does, but at `atMinutes` after local midnight when given
 * instead of the user's reminder time.
 */
export function addDurationAt(
  from: Date,
  d: Duration,
  prefs: TimePrefs,
  atMinutes: number | null,
): Date {
  const perMinute = d.unit === "minute" ? 1 : 60;
  if (isClockUnit(d.unit)) return new Date(from.getTime() + d.amount * perMinute * MINUTE_MS);
  const target = shiftDate(toLocal(from, prefs.timeZone), d);
  const day = prefs.skipWeekends ? mondayIfWeekend(target) : target;
  return atLocalMinutes(day, atMinutes ?? prefs.reminderMinutes, prefs.timeZone);
}

/**
 * Adds a duration: minutes and hours are exact offsets; days and longer land on the target
 * local date at the reminder time, moved off a weekend when the user skips weekends.
 */
export function addDuration(from: Date, d: Duration, prefs: TimePrefs): Date {
  return addDurationAt(from, d, prefs, null);
}

const UNIT_NAMES: Readonly<Record<DurationUnit, string>> = {
  minute: "minute",
  hour: "hour",
  day: "day",
  businessDay: "business day",
  week: "week",
  month: "month",
  year: "year",
};

/** Formats a duration in words, e.g. "3 business days" or "1 week". */
export function formatDuration(d: Duration): string {
  return `${d.amount} ${UNIT_NAMES[d.unit]}${d.amount === 1 ? "" : "s"}`;
}

/** The unit's name without an amount, e.g. "business day", for "every business day". */
export function unitName(unit: DurationUnit): string {
  return UNIT_NAMES[unit];
}
