import type { Config } from "../config";
import {
  claimDueThreads,
  holdThread,
  type NextStep,
  ownersOf,
  recordReminderEvent,
  releaseToNextStep,
} from "../db/claims";
import type { Db } from "../db/client";
import { queueDeliveryRaw, toDeliveryRow } from "../db/deliveries";
import type { DeliveryRow, ThreadRow, UserRow } from "../db/schema";
import { threadContacts } from "../db/threads";
import { userPrefs } from "../db/users";
import { transition } from "../domain/lifecycle";
import { actionLink } from "../domain/links";
import type { OutgoingEmail } from "../domain/outgoing";
import { replyAddress } from "../domain/reply-address";
import { totalReminders } from "../domain/schedule";
import { composeEmail } from "../mail/compose";
import { renderReminder } from "../mail/templates/reminder";

/** What the reminder work of a run (or of one queue batch) came to. */
export interface ReminderSummary {
  claimed: number;
  queued: number;
  dormant: number;
  /** Due while the owner is paused: held until they resume. */
  held: number;
}

/** An empty summary. */
export function noReminders(): ReminderSummary {
  return { claimed: 0, queued: 0, dormant: 0, held: 0 };
}

/** Adds `more` into `into`. */
export function addReminders(into: ReminderSummary, more: ReminderSummary): void {
  into.claimed += more.claimed;
  into.queued += more.queued;
  into.dormant += more.dormant;
  into.held += more.held;
}

/** The delivery id (and Idempotency-Key) of a thread's n-th reminder: stable across runs. */
function reminderDeliveryId(threadId: string, n: number): string {
  return `rem-${threadId}-${n}`;
}

/**
 * What a thread becomes once its reminder has gone out at `now`: its next step, or dormant.
 * The one place the reminder job asks the schedule (the lifecycle's "reminder sent" event).
 */
function stepAfterReminder(thread: ThreadRow, user: UserRow, now: number): NextStep {
  const next = transition(thread, { kind: "reminder-sent" }, userPrefs(user), now).state;
  return next.status === "scheduled" && next.dueAt !== null
    ? { status: "scheduled", step: next.step, dueAt: next.dueAt }
    : { status: "dormant", step: next.step, dueAt: null };
}

/** Reminders rendered per D1 batch (three statements each). */
const PER_BATCH = 50;

/** What queueing reminders did; `claimed` holds the deliveries queued already claimed. */
interface Queued {
  summary: ReminderSummary;
  deliveryIds: string[];
  claimed: DeliveryRow[];
}

/**
 * Claims up to `limit` due threads, oldest first, and queues their reminders: the cron
 * loop's way. With `batchKey`, the deliveries are queued already claimed in that batch.
 */
export async function claimAndQueueReminders(
  db: Db,
  d1: D1Database,
  config: Config,
  now: number,
  limit: number,
  batchKey: string | null = null,
): Promise<Queued> {
  const { threads: due, lease } = await claimDueThreads(d1, now, limit);
  return queueReminders(db, d1, config, due, lease, now, batchKey);
}

/**
 * Queues one reminder delivery for each thread claimed under `lease` and moves the thread
 * to its next step, all in D1 batches; a paused owner's thread is held instead. Two runs can
 * never queue (or count) the same reminder twice: the delivery id and the event's key are
 * derived from the thread and its reminder count, and the thread moves only under the lease.
 */
export async function queueReminders(
  db: Db,
  d1: D1Database,
  config: Config,
  claimed: ThreadRow[],
  lease: number,
  now: number,
  batchKey: string | null = null,
): Promise<Queued> {
  const summary: ReminderSummary = { ...noReminders(), claimed: claimed.length };
  const deliveryIds: string[] = [];
  const queued: DeliveryRow[] = [];
  if (claimed.length === 0) return { summary, deliveryIds, claimed: queued };
  const owners = await ownersOf(db, [...new Set(claimed.map((t) => t.userId))]);
  for (let i = 0; i < claimed.length; i += PER_BATCH) {
    const statements: D1PreparedStatement[] = [];
    /** Which statements queue a delivery (their results hold the claimed row). */
    const inserts: number[] = [];
    for (const thread of claimed.slice(i, i + PER_BATCH)) {
      const user = owners.get(thread.userId);
      // The owner is gone (account deleted mid-run): the cascade removes the thread too.
      if (user === undefined) continue;
      if (user.paused) {
        statements.push(...holdThread(d1, thread, lease));
        summary.held += 1;
        continue;
      }
      const id = reminderDeliveryId(thread.id, thread.remindersSent + 1);
      const email = await reminderEmail(config, user, thread, now);
      const next = stepAfterReminder(thread, user, now);
      inserts.push(statements.length);
      statements.push(
        queueDeliveryRaw(
          d1,
          { id, userId: user.id, threadId: thread.id, kind: "reminder", step: thread.step, email },
          now,
          batchKey,
        ),
        recordReminderEvent(d1, { userId: user.id, threadId: thread.id, at: now, deliveryId: id }),
        releaseToNextStep(d1, thread, lease, next, now),
      );
      if (next.status === "dormant") summary.dormant += 1;
      summary.queued += 1;
      deliveryIds.push(id);
    }
    if (statements.length === 0) continue;
    const results = await d1.batch<Record<string, unknown>>(statements);
    if (batchKey === null) continue;
    for (const at of inserts) {
      for (const raw of results[at]?.results ?? []) queued.push(toDeliveryRow(raw));
    }
  }
  return { summary, deliveryIds, claimed: queued };
}

/** The reminder email for a thread's current step, threaded under the original message. */
async function reminderEmail(
  config: Config,
  user: UserRow,
  thread: ThreadRow,
  now: number,
): Promise<OutgoingEmail> {
  const link = (action: "done" | "replied" | "snooze" | "stop") =>
    actionLink(config.signingSecret, config.publicUrl, thread.id, action);
  const [done, replied, snooze, stop, replyTo] = await Promise.all([
    link("done"),
    link("replied"),
    link("snooze"),
    link("stop"),
    replyAddress(config.signingSecret, thread.id, config.mailDomain),
  ]);
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
    links: { done, replied, snooze, stop },
  });
  return composeEmail(config, {
    to: user.email,
    rendered,
    autoSubmitted: "auto-generated",
    thread: {
      parentId: thread.messageId,
      ancestors: JSON.parse(thread.referencesJson) as string[],
    },
    replyTo,
  });
}
