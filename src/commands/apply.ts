import type { Db, Statement } from "../db/client";
import type { ThreadRow, UserRow } from "../db/schema";
import { writeTransition } from "../db/threads";
import { userPrefs } from "../db/users";
import type { Command, SnoozeError } from "../domain/commands";
import { resolveSnooze } from "../domain/commands";
import { type LifecycleEvent, type Transition, transition } from "../domain/lifecycle";
import { err, ok, type Result } from "../domain/result";
import { formatLocal } from "../domain/zoned-time";
import { describeTimeError } from "../mail/templates/time-error";

/** A command that changes a thread (help and unrecognised lines change nothing). */
export type ThreadCommand = Exclude<Command, { kind: "help" } | { kind: "unknown" }>;

/** What a command does: the statements to commit together, and a one-line confirmation. */
interface CommandEffect {
  statements: Statement[];
  line: string;
}

/** Why a command changed nothing: only a snooze time can be refused. */
interface CommandError {
  kind: "bad-time";
  error: SnoozeError;
}

/**
 * Works out what a command does to a thread, the same for a reply email and a web link:
 * the lifecycle's transition for it (a command is an explicit act of the user).
 * Pure apart from building statements; the caller commits them in one batch.
 */
export function applyCommand(
  db: Db,
  user: UserRow,
  thread: ThreadRow,
  command: ThreadCommand,
  now: number,
  source: "email" | "web",
): Result<CommandEffect, CommandError> {
  const prefs = userPrefs(user);
  let event: LifecycleEvent;
  switch (command.kind) {
    case "done":
      event = { kind: "followed-up", copy: "explicit", plan: null };
      break;
    case "replied":
      event = { kind: "contact-replied" };
      break;
    case "call":
      event = { kind: "met" };
      break;
    case "stop":
      event = { kind: "stopped" };
      break;
    case "snooze": {
      const at = resolveSnooze(command.when, new Date(now), prefs);
      if (!at.ok) return err({ kind: "bad-time", error: at.error });
      event = { kind: "snoozed", dueAt: at.value.getTime() };
      break;
    }
  }
  const t = transition(thread, event, prefs, now);
  return ok({
    statements: writeTransition(db, thread, t, source, now),
    line: confirmationLine(command.kind, t, user.timeZone),
  });
}

/** The one-line confirmation of a command, from the rule that applied. */
function confirmationLine(command: ThreadCommand["kind"], t: Transition, timeZone: string): string {
  const when = (dueAt: number | null) =>
    dueAt === null ? "none" : `${formatLocal(new Date(dueAt), timeZone)} (${timeZone})`;
  switch (t.rule) {
    case "next-step":
    case "named-time":
      return `Counted your follow-up. Next reminder: ${when(t.state.dueAt)}.`;
    case "last-step":
      return "Counted your follow-up. That was the last step: Sprout will not remind you about this one again.";
    case "new-round":
      return `Counted your follow-up and started a new round of reminders. Next reminder: ${when(t.state.dueAt)}.`;
    case "keep-in-touch":
      return `Counted ${command === "call" ? "your call" : "their reply"}. Keeping in touch: next reminder ${when(t.state.dueAt)}.`;
    case "closed":
      return t.state.status === "met"
        ? "Marked: you talked. Sprout stops reminding you about this conversation."
        : "Marked as replied. Sprout stops reminding you about this conversation.";
    case "snoozed":
      return `Snoozed: Sprout will remind you on ${when(t.state.dueAt)}.`;
    case "stopped":
      return "Stopped: Sprout no longer tracks this conversation.";
    case "unchanged":
      return "Counted. Sprout is not reminding you about this conversation, so nothing else changed.";
    case "tracked":
    case "needs-time":
    case "earlier":
      throw new Error(`a command never leads to the rule ${t.rule}`);
  }
}

/** Says in one sentence why a snooze time was refused. */
export function describeSnoozeError(e: SnoozeError): string {
  switch (e.kind) {
    case "missing":
      return "Sprout needs a time to snooze until, for example: snooze 3d, snooze next tuesday.";
    case "in-the-past":
      return `"${e.input}" is in the past; Sprout can only remind you later.`;
    default:
      return describeTimeError(e);
  }
}
