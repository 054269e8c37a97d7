import { err, ok, type Result } from "./result";
import { type Duration, type DurationUnit, parseDuration } from "./time-grammar";
import { MAX_PARSED } from "./untrusted";

/** The default follow-up cadence: 3 business days, 1 week, 2 weeks, 3 months. */
export const DEFAULT_CADENCE = "3bd,1w,2w,3mo";

/** At most this many steps: a cadence is a handful of nudges, not a schedule. */
const MAX_STEPS = 8;

/** The longest step per unit: one year (SPEC 3). Minutes and hours are no cadence step. */
const MAX_STEP: Readonly<Record<DurationUnit, number>> = {
  minute: 0,
  hour: 0,
  day: 365,
  businessDay: 260,
  week: 52,
  month: 12,
  year: 1,
};

/** Why a cadence was refused; `describeCadenceError` says it in one sentence. */
export type CadenceError =
  | { kind: "empty" }
  | { kind: "too-long"; length: number }
  | { kind: "too-many"; steps: number }
  | { kind: "not-a-wait"; step: string }
  | { kind: "zero"; step: string }
  | { kind: "under-a-day"; step: string }
  | { kind: "over-a-year"; step: string };

/**
 * Parses a cadence such as `3bd, 1w, 2w, 3mo` into its steps: 1 to 8 waits separated by
 * commas or semicolons, each a day or longer (d, bd, w, mo, y) and at most a year.
 */
export function parseCadence(text: string): Result<Duration[], CadenceError> {
  // A valid cadence is far shorter; refusing keeps a cut from silently dropping steps.
  if (text.length > MAX_PARSED) return err({ kind: "too-long", length: text.length });
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) return err({ kind: "empty" });
  if (parts.length > MAX_STEPS) return err({ kind: "too-many", steps: parts.length });
  const steps: Duration[] = [];
  for (const part of parts) {
    const step = parseDuration(part);
    if (!step.ok) {
      return err({ kind: step.error.kind === "zero-amount" ? "zero" : "not-a-wait", step: part });
    }
    const { amount, unit } = step.value;
    if (MAX_STEP[unit] === 0) return err({ kind: "under-a-day", step: part });
    if (amount > MAX_STEP[unit]) return err({ kind: "over-a-year", step: part });
    steps.push(step.value);
  }
  return ok(steps);
}

/** Says in one sentence why a cadence was refused (the settings form shows it). */
export function describeCadenceError(e: CadenceError): string {
  const example = "for example: 3bd, 1w, 2w, 3mo";
  switch (e.kind) {
    case "empty":
      return `Give 1 to ${MAX_STEPS} waits separated by commas, ${example}.`;
    case "too-long":
      return `That cadence is ${e.length} characters long; give 1 to ${MAX_STEPS} short waits, ${example}.`;
    case "too-many":
      return `That is ${e.steps} waits; give at most ${MAX_STEPS}, ${example}.`;
    case "not-a-wait":
      return `"${e.step}" is not a wait: give a number and a unit (d, bd, w, mo or y), ${example}.`;
    case "zero":
      return `"${e.step}" is a wait of zero; each wait is at least 1 day.`;
    case "under-a-day":
      return `"${e.step}" is shorter than a day; cadence waits are days or longer (d, bd, w, mo or y).`;
    case "over-a-year":
      return `"${e.step}" is longer than a year; each wait is at most 1y (365d, 260bd, 52w or 12mo).`;
  }
}

/** The user's cadence, falling back to the default if the stored one no longer parses. */
export function cadenceOrDefault(text: string): Duration[] {
  const parsed = parseCadence(text);
  if (parsed.ok) return parsed.value;
  const fallback = parseCadence(DEFAULT_CADENCE);
  if (!fallback.ok) throw new Error("the default cadence must parse");
  return fallback.value;
}
