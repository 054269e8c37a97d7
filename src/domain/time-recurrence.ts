// Repeating reminders: the part of an `every...@` address after "every".
import { err, ok, type Result } from "./result";
import {
  addDurationAt,
  checkAmount,
  formatDuration,
  isClockUnit,
  UNIT_WORDS,
  unitName,
} from "./time-duration";
import {
  attempt,
  type ClockAst,
  clockMinutes,
  formatHMM,
  parseClockPart,
  Scanner,
  WEEKDAY_WORDS,
} from "./time-scanner";
import type { Duration, DurationUnit, Recurrence, TimeError, TimePrefs } from "./time-types";
import { forParsing } from "./untrusted";
import { addDays, atLocalMinutes, toLocal, weekdayOf } from "./zoned-time";

// Unit words that mean "1 of it" with no number: `everyday`, `everyweekday`. Short forms
// are left out so `mon` stays Monday.
const BARE_UNITS = [
  "day",
  "days",
  "weekday",
  "weekdays",
  "businessday",
  "businessdays",
  "week",
  "weeks",
  "month",
  "months",
  "year",
  "years",
];

// The longest interval, per unit: five years, as for one-off times.
const MAX_INTERVAL: Readonly<Record<DurationUnit, number>> = {
  minute: 0,
  hour: 0,
  day: 1826,
  businessDay: 1304,
  week: 260,
  month: 60,
  year: 5,
};

const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];

type EveryAst =
  | { kind: "weekday"; weekday: number; clock: ClockAst | null }
  | { kind: "interval"; amount: string | null; unit: DurationUnit; clock: ClockAst | null };

function weekdayForm(sc: Scanner): EveryAst | null {
  const name = sc.word(WEEKDAY_WORDS);
  const weekday = name === null ? undefined : WEEKDAY_WORDS[name];
  if (weekday === undefined) return null;
  return { kind: "weekday", weekday, clock: parseClockPart(sc) };
}

function intervalForm(sc: Scanner): EveryAst | null {
  const amount = attempt(sc, (s) => s.digits());
  const word = sc.word(amount === null ? BARE_UNITS : UNIT_WORDS);
  const unit = word === null ? undefined : UNIT_WORDS[word];
  if (unit === undefined) return null;
  return { kind: "interval", amount, unit, clock: parseClockPart(sc) };
}

/**
 * Parses what follows "every" in an address: `3months`, `2w9am`, `day`, `weekday` (each
 * business day), `monday9am`, `tues-930am`. Intervals are a day or longer. Reads at most
 * 200 characters.
 */
export function parseEvery(untrusted: string): Result<Recurrence, TimeError> {
  const rest = forParsing(untrusted);
  const sc = new Scanner(rest);
  let ast: EveryAst | null = null;
  for (const form of [weekdayForm, intervalForm]) {
    sc.pos = 0;
    const parsed = form(sc);
    if (parsed !== null && sc.atEnd()) {
      ast = parsed;
      break;
    }
  }
  if (ast === null) return err({ kind: "unrecognized", input: rest, near: sc.near() });
  let atMinutes: number | null = null;
  if (ast.clock !== null) {
    atMinutes = clockMinutes(ast.clock);
    if (atMinutes === null) return err({ kind: "impossible-date", input: rest });
  }
  if (ast.kind === "weekday") return ok({ kind: "weekday", weekday: ast.weekday, atMinutes });
  const amount = ast.amount === null ? ok(1) : checkAmount(ast.amount, rest);
  if (!amount.ok) return amount;
  // Reminders every few minutes or hours would flood the inbox; no follow-up needs them.
  if (isClockUnit(ast.unit)) {
    const near = rest.trim().replace(/^[-_.\s]+/, "");
    return err({ kind: "unrecognized", input: rest, near });
  }
  if (amount.value > MAX_INTERVAL[ast.unit]) return err({ kind: "too-far", input: rest });
  return ok({ kind: "interval", every: { amount: amount.value, unit: ast.unit }, atMinutes });
}

/** The first occurrence of a recurrence strictly after `after`. */
export function nextOccurrence(rec: Recurrence, after: Date, prefs: TimePrefs): Date {
  if (rec.kind === "interval") return addDurationAt(after, rec.every, prefs, rec.atMinutes);
  // A named weekday is the user's explicit choice, so it never moves off a weekend.
  const local = toLocal(after, prefs.timeZone);
  const minutes = rec.atMinutes ?? prefs.reminderMinutes;
  // Today counts if its time is still ahead, so at most a week ahead.
  for (let ahead = 0; ahead <= 7; ahead += 1) {
    const date = addDays(local, ahead);
    if (weekdayOf(date) !== rec.weekday) continue;
    const at = atLocalMinutes(date, minutes, prefs.timeZone);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error(`no weekday ${rec.weekday} within a week`);
}

/** Describes a recurrence in words, e.g. "every 3 months" or "every Monday at 9:00". */
export function describeRecurrence(rec: Recurrence): string {
  const base =
    rec.kind === "weekday"
      ? `every ${WEEKDAY_NAMES[rec.weekday] ?? "?"}`
      : `every ${everyText(rec.every)}`;
  return rec.atMinutes === null ? base : `${base} at ${formatHMM(rec.atMinutes)}`;
}

function everyText(d: Duration): string {
  return d.amount === 1 ? unitName(d.unit) : formatDuration(d);
}
