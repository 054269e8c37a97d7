import { eq } from "drizzle-orm";
import type { Db, Statement } from "../db/client";
import { recordEvent } from "../db/events";
import { type ThreadRow, threads, type UserRow } from "../db/schema";
import { userPrefs } from "../db/users";
import type { Command, SnoozeError } from "../domain/commands";
import { resolveSnooze } from "../domain/commands";
import { err, ok, type Result } from "../domain/result";
import { nextAfter } from "../domain/schedule";
import { formatLocal } from "../domain/zoned-time";
import { describeTimeError } from "../mail/templates/time-error";

/** A command that changes a thread (help and unrecognised lines change nothing). */
export type ThreadCommand = Exclude<Command, { kind: "help" } | { kind: "unknown" }>;

/** What a command does: the statements to commit together, and a one-line confirmation. */
export interface CommandEffect {
  statements: Statement[];
  line: string;
  /** The thread's next reminder afterwards, if any. */
  dueAt: number | null;
}

export type CommandError = { kind: "bad-time"; error: SnoozeError };

/**
 * Works out what a command does to a thread, the same for a reply email and a web link.
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
  const event = (kind: "followup" | "reply" | "call" | "snooze" | "stop") =>
    recordEvent(db, { userId: user.id, threadId: thread.id, kind, source, at: now });
  const update = (set: Partial<typeof threads.$inferInsert>) =>
    db
      .update(threads)
      .set({ ...set, updatedAt: now })
      .where(eq(threads.id, thread.id));
  const when = (dueAt: number) =>
    `${formatLocal(new Date(dueAt), user.timeZone)} (${user.timeZone})`;
  switch (command.kind) {
    case "done": {
      // The follow-up takes the pending reminder's place; the next step counts from now.
      const next = nextAfter(thread, userPrefs(user), new Date(now));
      const tracking =
        thread.status === "scheduled" ||
        thread.status === "dormant" ||
        thread.status === "unscheduled";
      const dueAt = next.status === "scheduled" && tracking ? next.dueAt.getTime() : null;
      const statements = [event("followup")];
      if (tracking) {
        statements.push(
          update({
            status: dueAt === null ? "dormant" : "scheduled",
            step: next.step,
            dueAt,
            lastActivityAt: now,
            leaseUntil: null,
          }),
        );
      }
      const line =
        dueAt === null
          ? "Counted your follow-up. That was the last step: Sprout will not remind you about this one again."
          : `Counted your follow-up. Next reminder: ${when(dueAt)}.`;
      return ok({ statements, line, dueAt });
    }
    case "replied":
      return ok({
        statements: [event("reply"), update({ status: "replied", dueAt: null, leaseUntil: null })],
        line: "Marked as replied. Sprout stops reminding you about this conversation.",
        dueAt: null,
      });
    case "call":
      return ok({
        statements: [event("call"), update({ status: "met", dueAt: null, leaseUntil: null })],
        line: "Marked: you talked. Sprout stops reminding you about this conversation.",
        dueAt: null,
      });
    case "stop":
      return ok({
        statements: [event("stop"), update({ status: "stopped", dueAt: null, leaseUntil: null })],
        line: "Stopped: Sprout no longer tracks this conversation.",
        dueAt: null,
      });
    case "snooze": {
      const at = resolveSnooze(command.when, new Date(now), userPrefs(user));
      if (!at.ok) return err({ kind: "bad-time", error: at.error });
      const dueAt = at.value.getTime();
      return ok({
        statements: [
          event("snooze"),
          update({ status: "scheduled", dueAt, parseError: null, leaseUntil: null }),
        ],
        line: `Snoozed: Sprout will remind you on ${when(dueAt)}.`,
        dueAt,
      });
    }
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
