import { err, ok, type Result } from "./result";
import { type Duration, parseDuration, type TimeError } from "./time-grammar";

/** The default follow-up cadence: 3 business days, 1 week, 2 weeks, 3 months. */
export const DEFAULT_CADENCE = "3bd,1w,2w,3mo";

/** At most this many steps: a cadence is a handful of nudges, not a schedule. */
export const MAX_STEPS = 12;

/** Parses a cadence such as `3bd, 1w, 2w, 3mo` into its steps. */
export function parseCadence(text: string): Result<Duration[], TimeError> {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0 || parts.length > MAX_STEPS) {
    return err({ kind: "unrecognized", input: text, near: text });
  }
  const steps: Duration[] = [];
  for (const part of parts) {
    const step = parseDuration(part);
    if (!step.ok) return step;
    steps.push(step.value);
  }
  return ok(steps);
}

/** The user's cadence, falling back to the default if the stored one no longer parses. */
export function cadenceOrDefault(text: string): Duration[] {
  const parsed = parseCadence(text);
  if (parsed.ok) return parsed.value;
  const fallback = parseCadence(DEFAULT_CADENCE);
  if (!fallback.ok) throw new Error("the default cadence must parse");
  return fallback.value;
}
