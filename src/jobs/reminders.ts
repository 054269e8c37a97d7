import { and, eq, inArray } from "drizzle-orm";
import type { Config } from "../config";
import { claimDueThreads } from "../db/claims";
import { type Db, runBatch, type Statement } from "../db/client";
import { queueDelivery } from "../db/deliveries";
import { recordEvent } from "../db/events";
import { type ThreadRow, threads, type UserRow, users } from "../db/schema";
import { threadContacts } from "../db/threads";
import { userPrefs } from "../db/users";
import { transition } from "../domain/lifecycle";
import { actionLink } from "../domain/links";
import type { OutgoingEmail } from "../domain/outgoing";
import { replyAddress } from "../domain/reply-address";
import { totalReminders } from "../domain/schedule";
import { composeEmail } from "../mail/compose";
import { renderReminder } from "../mail/templates/reminder";

export interface ReminderSummary {
  claimed: number;
  queued: number;
  dormant: number;
  paused: number;
  rowsRead: number;
}

/** The delivery id (and Idempotency-Key) of a thread's n-th reminder: stable across runs. */
export function reminderDeliveryId(threadId: string, n: number): string {
  return `rem-${threadId}-${n}`;
}

/**
 * Claims due threads (oldest first, at most `limit`), queues one reminder delivery each and
 * moves each thread to its next step, all in D1 batches. Two runs can never queue the same
 * reminder twice: the delivery id is derived from the thread and its reminder count.
 */
export async function queueDueReminders(
  db: Db,
  d1: D1Database,
  config: Config,
  now: number,
  limit: number,
): Promise<ReminderSummary> {
  const { threads: due, lease, rowsRead } = await claimDueThreads(d1, now, limit);
  const summary: ReminderSummary = {
    claimed: due.length,
    queued: 0,
    dormant: 0,
    paused: 0,
    rowsRead,
  };
  if (due.length === 0) return summary;
  const owners = await usersById(db, [...new Set(due.map((t) => t.userId))]);
  for (let i = 0; i < due.length; i += 40) {
    const statements: Statement[] = [];
    for (const thread of due.slice(i, i + 40)) {
      const user = owners.get(thread.userId);
      if (user === undefined) continue;
      if (user.paused) {
        // Paused: look again in a day, without sending or advancing.
        statements.push(release(db, thread, lease, { dueAt: now + 86_400_000 }));
        summary.paused += 1;
        continue;
      }
      const prefs = userPrefs(user);
      const n = thread.remindersSent + 1;
      const email = await reminderEmail(config, user, thread, now);
      statements.push(
        queueDelivery(
          db,
          {
            id: reminderDeliveryId(thread.id, n),
            userId: user.id,
            threadId: thread.id,
            kind: "reminder",
            step: thread.step,
            email,
          },
          now,
        ),
      );
      const next = transition(thread, { kind: "reminder-sent" }, prefs, now).state;
      statements.push(
        recordEvent(db, {
          userId: user.id,
          threadId: thread.id,
          kind: "reminder",
          source: "cron",
          at: now,
        }),
      );
      if (next.status === "dormant") summary.dormant += 1;
      summary.queued += 1;
      statements.push(
        release(db, thread, lease, {
          status: next.status,
          step: next.step,
          dueAt: next.dueAt,
          remindersSent: n,
          lastActivityAt: now,
          updatedAt: now,
        }),
      );
    }
    await runBatch(db, statements);
  }
  return summary;
}

/** Updates a claimed thread and drops the lease, only if this run still holds it. */
function release(
  db: Db,
  thread: ThreadRow,
  lease: number,
  set: Partial<typeof threads.$inferInsert>,
): Statement {
  return db
    .update(threads)
    .set({ ...set, leaseUntil: null })
    .where(
      and(
        eq(threads.id, thread.id),
        eq(threads.leaseUntil, lease),
        eq(threads.remindersSent, thread.remindersSent),
      ),
    );
}

async function usersById(db: Db, ids: string[]): Promise<Map<string, UserRow>> {
  const out = new Map<string, UserRow>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select()
      .from(users)
      .where(inArray(users.id, ids.slice(i, i + 90)));
    for (const row of rows) out.set(row.id, row);
  }
  return out;
}

/** The reminder email for a thread's current step, threaded under the original message. */
export async function reminderEmail(
  config: Config,
  user: UserRow,
  thread: ThreadRow,
  now: number,
): Promise<OutgoingEmail> {
  const link = (action: "done" | "replied" | "snooze" | "stop") =>
    actionLink(config.signingSecret, config.publicUrl, thread.id, action);
  const rendered = renderReminder({
    subject: thread.subject,
    contacts: threadContacts(thread),
    sentAt: thread.sentAt,
    snippet: thread.snippet,
    step: thread.step,
    total: totalReminders(thread, userPrefs(user)),
    recurrence: thread.recurrence,
    now,
    timeZone: user.timeZone,
    mailDomain: config.mailDomain,
    signInUrl: `${config.publicUrl}/login`,
    links: {
      done: await link("done"),
      replied: await link("replied"),
      snooze: await link("snooze"),
      stop: await link("stop"),
    },
  });
  return composeEmail(config, {
    to: user.email,
    rendered,
    autoSubmitted: "auto-generated",
    thread: {
      parentId: thread.messageId,
      ancestors: JSON.parse(thread.referencesJson) as string[],
    },
    replyTo: await replyAddress(config.signingSecret, thread.id, config.mailDomain),
  });
}
