import * as chrono from "chrono-node/en";
import { err, ok, type Result } from "./result";
import { mondayIfWeekend } from "./time-duration";
import { parseWhen, type TimeError, type TimePrefs } from "./time-grammar";
import { forParsing } from "./untrusted";
import { fromLocal, toLocal } from "./zoned-time";

/** A command from a reply or a web link (SPEC section 5). */
export type Command =
  | { kind: "done" }
  | { kind: "replied" }
  | { kind: "call" }
  | { kind: "snooze"; when: string }
  | { kind: "stop" }
  | { kind: "help" }
  | { kind: "unknown"; line: string };

type Word = "done" | "replied" | "call" | "stop" | "help";

const WORDS: [RegExp, Word][] = [
  [/^(done|followed[\s-]?up|sent|i followed up)$/, "done"],
  [/^(replied|they replied|responded|they responded|got a reply)$/, "replied"],
  [/^(call|met|meeting|we met|had a call)$/, "call"],
  [/^(stop|cancel|unsubscribe)$/, "stop"],
  [/^(help|\?)$/, "help"],
];

/**
 * Reads the command in the first line a user typed (case-insensitive, trailing punctuation
 * ignored). Only the line's first 200 characters are read, however long it is.
 */
export function parseCommand(untrusted: string): Command {
  const line = forParsing(untrusted);
  const text = line
    .trim()
    .toLowerCase()
    .replace(/[.!,;:]+$/, "")
    .replace(/\s+/g, " ");
  if (text === "") return { kind: "unknown", line };
  for (const [pattern, kind] of WORDS) {
    if (pattern.test(text)) return { kind };
  }
  const snooze =
    /^(?:snooze|remind me|remind|later)(?: (?:me|again))?(?: (?:in|until|on|for))?\s*(.*)$/.exec(
      text,
    );
  if (snooze !== null) return { kind: "snooze", when: (snooze[1] ?? "").trim() };
  // A bare time is a snooze: "3d", "next tuesday", "tomorrow 9am", "aug 15".
  if (resolvesAsTime(text)) return { kind: "snooze", when: text };
  return { kind: "unknown", line };
}

function resolvesAsTime(text: string): boolean {
  if (/^-/.test(text) || /\bago\b/.test(text)) return true; // resolve() explains the error
  const viaGrammar = parseWhen(text.replace(/\s+/g, "-"), new Date(0), {
    timeZone: "UTC",
    reminderMinutes: 480,
    skipWeekends: false,
  });
  if (viaGrammar.ok || viaGrammar.error.kind !== "unrecognized") return true;
  return chrono
    .parse(text, new Date(0), { forwardDate: true })
    .some((r) => r.index === 0 && r.text.length >= text.length - 1);
}

/** Why a snooze time cannot be used. */
export type SnoozeError =
  | TimeError
  | { kind: "in-the-past"; input: string }
  | { kind: "missing"; input: string };

const FIVE_YEARS_MS = 5 * 366 * 86_400_000;

/**
 * Resolves a snooze time in the user's zone: the address grammar first (`3d`, `aug15`,
 * `tomorrow 9am`), then natural language through chrono ("in 2 weeks", "next tuesday at 3pm").
 * Times without a clock time land at the user's reminder time; with "skip weekends", days
 * chrono computed (`in 3 weeks`) move off a weekend as the grammar's do, days the user
 * named (`saturday`, `aug 15`, `today at 5pm`) and exact offsets (`in 3 hours`) never move.
 * Only the first 200 characters of `untrusted` are read.
 */
export function resolveSnooze(
  untrusted: string,
  now: Date,
  prefs: TimePrefs,
): Result<Date, SnoozeError> {
  const when = forParsing(untrusted);
  const text = when.trim().toLowerCase();
  if (text === "") return err({ kind: "missing", input: when });
  if (/^-/.test(text) || /\bago\b/.test(text)) return err({ kind: "in-the-past", input: when });
  const viaGrammar = parseWhen(text.replace(/\s+/g, "-"), now, prefs);
  if (viaGrammar.ok) return ok(viaGrammar.value.dueAt);
  if (viaGrammar.error.kind !== "unrecognized") return err({ ...viaGrammar.error, input: when });
  // chrono reads wall-clock fields; a reference "now" shifted to the user's wall time, read
  // as UTC, gives local fields that fromLocal turns back into an instant in the zone.
  const local = toLocal(now, prefs.timeZone);
  const ref = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute));
  const [result] = chrono.parse(text, { instant: ref, timezone: 0 }, { forwardDate: true });
  if (result === undefined || result.index !== 0 || result.text.length < text.length - 1) {
    return err({ ...viaGrammar.error, input: when });
  }
  const wall = result.start.date();
  const hasClock = result.start.isCertain("hour");
  const minutes = hasClock ? wall.getUTCHours() * 60 + wall.getUTCMinutes() : prefs.reminderMinutes;
  const date = {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
  };
  const moves = prefs.skipWeekends && chronoComputedDay(result.tags());
  const day = moves ? mondayIfWeekend(date) : date;
  const at = fromLocal(
    { ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    prefs.timeZone,
  );
  if (at.getTime() <= now.getTime()) return err({ kind: "in-the-past", input: when });
  if (at.getTime() - now.getTime() > FIVE_YEARS_MS) return err({ kind: "too-far", input: when });
  return ok(at);
}

/**
 * True when chrono computed the day (`in 3 weeks`, `a week from now`, `tomorrow at 5`) rather
 * than the user naming it (`saturday`, `aug 15`, `today at 5pm`); exact offsets (`in 3 hours`)
 * are not days and never move.
 */
function chronoComputedDay(tags: ReadonlySet<string>): boolean {
  if (tags.has("result/relativeDateAndTime")) return false;
  if (tags.has("result/relativeDate")) return true;
  const named = new Set([
    "casualReference/today",
    "casualReference/tonight",
    "casualReference/now",
  ]);
  return [...tags].some((t) => t.startsWith("casualReference/") && !named.has(t));
}
