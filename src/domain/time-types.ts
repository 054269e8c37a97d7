// Types shared by the time grammar's files; time-grammar.ts re-exports them, so other code
// imports everything from there.

/** A user's settings that change how times resolve. */
export interface TimePrefs {
  /** IANA zone name, e.g. "America/New_York". */
  timeZone: string;
  /** Minutes after local midnight for day-granular times; 480 = 08:00. */
  reminderMinutes: number;
  /** Move computed Saturday and Sunday results to Monday. */
  skipWeekends: boolean;
}

/** Why a time did not resolve; `input` is the text as given. */
export type TimeError =
  /** `near` is the part not understood, to quote back to the user. */
  | { kind: "unrecognized"; input: string; near: string }
  | { kind: "zero-amount"; input: string }
  /** More than 5 years after now. */
  | { kind: "too-far"; input: string }
  /** feb30, 2027-02-29, 13pm, 2575. */
  | { kind: "impossible-date"; input: string }
  /** today5pm when 5pm already passed today, or a dated day already gone. */
  | { kind: "past"; input: string }
  /** A date naming today (`mar3` on 3 March) whose time has already passed today. */
  | { kind: "today-passed"; input: string };

/** A parsed time. */
export interface ResolvedTime {
  dueAt: Date;
  /** The user named the day or date (weekday, date, today...), so it is never moved. */
  explicitDay: boolean;
}

/** The units of a relative time or cadence step. */
export type DurationUnit = "minute" | "hour" | "day" | "businessDay" | "week" | "month" | "year";

/** An amount of a unit, such as 3 business days. */
export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** A repeating reminder: a fixed interval, or a weekday; atMinutes overrides the user's time. */
export type Recurrence =
  | { kind: "interval"; every: Duration; atMinutes: number | null }
  | { kind: "weekday"; weekday: number; atMinutes: number | null };
