import { cadenceOrDefault } from "./cadence";
import { addDuration, nextOccurrence, parseEvery, type TimePrefs } from "./time-grammar";

/** What the schedule needs to know about a thread. */
export interface ThreadPlan {
  kind: "track" | "every";
  /** The reminder about to be sent (1-based). */
  step: number;
  /** The first reminder's time was named in the address (`3d@`), not taken from the cadence. */
  explicitFirst: boolean;
  /** For `every...` threads: the text after "every". */
  recurrence: string | null;
}

/** What the schedule needs to know about the user. */
export interface SchedulePrefs extends TimePrefs {
  cadence: string;
  oneReminderOnly: boolean;
}

/** The state of a thread after an event: its next reminder, or dormant. */
export type NextState =
  | { status: "scheduled"; step: number; dueAt: Date }
  | { status: "dormant"; step: number };

/** How many reminders a tracked thread gets in all (null: keep-in-touch, no end). */
export function totalReminders(
  plan: Pick<ThreadPlan, "kind" | "explicitFirst">,
  prefs: SchedulePrefs,
): number | null {
  if (plan.kind === "every") return null;
  if (plan.explicitFirst && prefs.oneReminderOnly) return 1;
  return cadenceOrDefault(prefs.cadence).length;
}

/**
 * After reminder `plan.step` went out at `at` (or a follow-up took its place): reminder
 * k+1 is due cadence step k+1 after that; past the last step the thread goes dormant.
 * Keep-in-touch threads repeat at their interval and never go dormant.
 */
export function nextAfter(plan: ThreadPlan, prefs: SchedulePrefs, at: Date): NextState {
  const step = plan.step + 1;
  if (plan.kind === "every") {
    const rec = parseEvery(plan.recurrence ?? "");
    // A stored recurrence always parsed once; if a grammar change breaks it, fall back to
    // the user's last cadence step rather than losing the thread.
    if (rec.ok) return { status: "scheduled", step, dueAt: nextOccurrence(rec.value, at, prefs) };
  }
  const total = totalReminders(plan, prefs);
  const steps = cadenceOrDefault(prefs.cadence);
  if (total !== null && step > total) return { status: "dormant", step };
  const wait = steps[Math.min(step, steps.length) - 1];
  if (wait === undefined) return { status: "dormant", step };
  return { status: "scheduled", step, dueAt: addDuration(at, wait, prefs) };
}
