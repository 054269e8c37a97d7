// The time grammar: what a Sprout address like `3d@` or `tomorrow9am@` means. Times are read
// in the user's IANA zone and returned as UTC instants; 9am stays 9am local across DST.
//
// Input is an email local part, case-insensitive; `-`, `_`, `.` and spaces between words are
// ignored (`next-monday`, `tomorrow.9am`, `aug15_2pm`). A `.` or `:` between digits of a
// clock time means minutes (`9.30am`), and dashes split numbers (`2027-08-15`, `aug15-2027`).
//
//   form              examples                          lands on
//   ----------------  --------------------------------  ------------------------------------
//   N unit            3d 2h 45min 3bd 1w 3mo 1y         minutes/hours: exact offset from now;
//     (N = 1..999)    3d9am 2w-at-10am                  days+: that date at the reminder time
//                                                       (or the clock time given)
//   today + clock     today5pm todayatnoon              today; "past" if already gone
//   tomorrow          tomorrow tomorrow9am              tomorrow
//   weekday           fri friday weds930am nextmonday   next such day strictly after today
//   nextweek          nextweek nextweek9am              next Monday strictly after today
//   nextmonth         nextmonth                         the 1st of next month
//   date              aug15 15aug august15th 3rd-april  this year, or next year if passed;
//                                                       today's date: today (see below)
//                     aug15-2027 15aug2027 aug152027    that year
//                     2027-08-15                        that year
//   clock             9am 930am 9.30am 21:30 1300 noon  today if still ahead, else tomorrow
//                     at9am at1300 atnoon
//   day + clock       tomorrow9am aug15-2pm april3rdat1300 fri.at.noon  (either order:
//                     9am-tomorrow)
//
// Clock times: 1-12 with am/pm, optional minutes (`930am`, `9.30am`); 24-hour only as four
// digits (`1300`) or with a separator (`21.30`), so a bare `9` is not a time. Four digits
// after a date starting with 20 are a year (`aug15-2030`); write `aug15at2030` for 20:30.
// Day-granular times use prefs.reminderMinutes. With prefs.skipWeekends, computed days that
// land on Saturday or Sunday move to Monday at the same local time; days the user named
// (weekday, date, today) never move, nor do minutes and hours.
// A date that names today (`mar3` or `2026-03-03` on 3 March) lands today at the reminder
// time or the clock time given while that is still ahead; once it has passed it is the
// `today-passed` error, whose reply suggests `today<time>@` or `tomorrow@`, never next year.
// Input is cut to 200 characters first (untrusted.ts), so no input is expensive.
//
//   error             when
//   ----------------  ------------------------------------------------------------------
//   zero-amount       `0d`
//   too-far           the day asked for is after the same date 5 years on (before any
//                     weekend move): `6y`, `261w`, `aug15-2099`
//   impossible-date   `feb30`, `2027-02-29`, `13pm`, `2575`
//   past              `today7am` at 8am, or a dated day already gone: `jan1-2026` in March
//   today-passed      a date naming today whose time has gone: `mar3` on 3 March at 9am
//   unrecognized      anything else, with `near` the word or number where parsing stuck:
//                     `3dayz` -> "dayz", `tomorow` -> "tomorow", `1000d` -> "1000"
import { err, ok, type Result } from "./result";
import {
  addDurationAt,
  checkAmount,
  isClockUnit,
  mondayIfWeekend,
  shiftDate,
} from "./time-duration";
import { type DayAst, parseWhenAst } from "./time-phrase";
import { clockMinutes, Scanner } from "./time-scanner";
import type { ResolvedTime, TimeError, TimePrefs } from "./time-types";
import { forParsing } from "./untrusted";
import {
  addDays,
  addMonths,
  atLocalMinutes,
  compareDates,
  isRealDate,
  type LocalDate,
  toLocal,
} from "./zoned-time";

export {
  addDuration,
  formatDuration,
  parseDuration,
} from "./time-duration";
export { looksLikeTime } from "./time-looks-like";
export { describeRecurrence, nextOccurrence, parseEvery } from "./time-recurrence";
export type {
  Duration,
  DurationUnit,
  Recurrence,
  ResolvedTime,
  TimeError,
  TimePrefs,
} from "./time-types";

/** The furthest ahead a time may land: the same date this many months on. */
const MAX_MONTHS_AHEAD = 60;

/** Parses a time local part such as `3d`, `tomorrow9am` or `aug15-2pm` relative to `now`. */
export function parseWhen(
  untrusted: string,
  now: Date,
  prefs: TimePrefs,
): Result<ResolvedTime, TimeError> {
  const localPart = forParsing(untrusted);
  const sc = new Scanner(localPart);
  const ast = parseWhenAst(sc);
  if (ast === null) return err({ kind: "unrecognized", input: localPart, near: sc.near() });
  let clock: number | null = null;
  if (ast.clock !== null) {
    clock = clockMinutes(ast.clock);
    if (clock === null) return err({ kind: "impossible-date", input: localPart });
  }
  return resolve(ast.day, clock, localPart, now, prefs);
}

function resolve(
  day: DayAst | null,
  clock: number | null,
  input: string,
  now: Date,
  prefs: TimePrefs,
): Result<ResolvedTime, TimeError> {
  const local = toLocal(now, prefs.timeZone);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  const minutes = clock ?? prefs.reminderMinutes;
  const at = (date: LocalDate): Date => atLocalMinutes(date, minutes, prefs.timeZone);

  // Checks the cap and the past, and moves computed days off weekends.
  const land = (date: LocalDate, explicitDay: boolean): Result<ResolvedTime, TimeError> => {
    // The cap applies to the day asked for, before any weekend move.
    if (compareDates(date, addMonths(today, MAX_MONTHS_AHEAD)) > 0) {
      return err({ kind: "too-far", input });
    }
    const moved = explicitDay || !prefs.skipWeekends ? date : mondayIfWeekend(date);
    const dueAt = at(moved);
    if (dueAt.getTime() <= now.getTime()) return err({ kind: "past", input });
    return ok({ dueAt, explicitDay });
  };

  if (day === null) {
    // A clock time alone: its next occurrence.
    return land(at(today).getTime() > now.getTime() ? today : addDays(today, 1), false);
  }
  switch (day.kind) {
    case "relative": {
      const amount = checkAmount(day.amount, input);
      if (!amount.ok) return amount;
      const duration = { amount: amount.value, unit: day.unit };
      if (isClockUnit(day.unit)) {
        return ok({ dueAt: addDurationAt(now, duration, prefs, null), explicitDay: false });
      }
      return land(shiftDate(today, duration), false);
    }
    case "today":
      return land(today, true);
    case "tomorrow":
      return land(addDays(today, 1), false);
    case "weekday":
      return land(addDays(today, daysUntil(local.weekday, day.weekday)), true);
    case "nextweek":
      return land(addDays(today, daysUntil(local.weekday, 1)), false);
    case "nextmonth":
      return land(addMonths({ ...today, day: 1 }, 1), false);
    case "date":
      return resolveDate(day, today, now, input, at, land);
  }
}

/** Days from one weekday to the next occurrence of another, strictly later: 1..7. */
function daysUntil(fromWeekday: number, toWeekday: number): number {
  return ((toWeekday - fromWeekday + 6) % 7) + 1;
}

function resolveDate(
  date: { year: number | null; month: number; day: number },
  today: LocalDate,
  now: Date,
  input: string,
  at: (date: LocalDate) => Date,
  land: (date: LocalDate, explicitDay: boolean) => Result<ResolvedTime, TimeError>,
): Result<ResolvedTime, TimeError> {
  const { month, day } = date;
  const namesToday = month === today.month && day === today.day;
  if (date.year !== null) {
    if (!isRealDate(date.year, month, day)) return err({ kind: "impossible-date", input });
    const target = { year: date.year, month, day };
    if (compareDates(target, today) === 0) return landToday(today, now, input, at, land);
    return land(target, true);
  }
  // 2000 was a leap year, so this only rejects dates no year has, like feb30.
  if (!isRealDate(2000, month, day)) return err({ kind: "impossible-date", input });
  // A date naming today means today, never the same date next year.
  if (namesToday) return landToday(today, now, input, at, land);
  // Nine years always reach the next Feb 29 (2096 to 2104 skips 2100); land() caps it.
  for (let year = today.year; year <= today.year + 8; year += 1) {
    if (!isRealDate(year, month, day)) continue;
    const candidate = { year, month, day };
    if (compareDates(candidate, today) > 0) return land(candidate, true);
  }
  return err({ kind: "too-far", input });
}

/** Today, while the time asked for is still ahead; after that, the `today-passed` error. */
function landToday(
  today: LocalDate,
  now: Date,
  input: string,
  at: (date: LocalDate) => Date,
  land: (date: LocalDate, explicitDay: boolean) => Result<ResolvedTime, TimeError>,
): Result<ResolvedTime, TimeError> {
  if (at(today).getTime() <= now.getTime()) return err({ kind: "today-passed", input });
  return land(today, true);
}
