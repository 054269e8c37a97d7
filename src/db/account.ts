import { asc, eq, inArray, sql } from "drizzle-orm";
import { answerKeysOf, threadBudget } from "../domain/answer-limits";
import { type Db, runBatch, type Statement } from "./client";
import {
  answerLog,
  deliveries,
  devOutbox,
  events,
  inbound,
  loginTokens,
  notices,
  sessions,
  suppressions,
  type ThreadRow,
  threadMessages,
  threads,
  type UserRow,
  users,
} from "./schema";
import { forgetAddress } from "./signup";
import { type Contact, threadContacts } from "./threads";

/** A thread as exported: every column but internal bookkeeping, with readable times. */
type ExportedThread = Omit<ThreadRow, "leaseUntil" | "userId"> & {
  contacts: Contact[];
  sentAtIso: string;
  dueAtIso: string | null;
};

/** Everything Sprout keeps about one user, as the JSON export presents it. */
interface AccountExport {
  exportedAt: string;
  user: Omit<UserRow, "id">;
  threads: ExportedThread[];
  events: { threadId: string | null; kind: string; source: string; at: string }[];
  mail: {
    id: string;
    kind: string;
    threadId: string | null;
    subject: string;
    status: string;
    lastError: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
  received: { receivedAt: string; to: string; subject: string | null; outcome: string }[];
  /** Why Sprout stopped emailing this address (a bounce or a spam report), if it did. */
  suppression: { cause: string; detail: string; event: string; at: string } | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Reads every row that belongs to a user, for the export. */
export async function exportAccount(db: Db, user: UserRow, now: number): Promise<AccountExport> {
  const [threadRows, eventRows, mailRows, inboundRows, suppressionRows] = await Promise.all([
    db.select().from(threads).where(eq(threads.userId, user.id)).orderBy(asc(threads.createdAt)),
    db.select().from(events).where(eq(events.userId, user.id)).orderBy(asc(events.at)),
    db
      .select({
        id: deliveries.id,
        kind: deliveries.kind,
        threadId: deliveries.threadId,
        subject: deliveries.subject,
        status: deliveries.status,
        lastError: deliveries.lastError,
        createdAt: deliveries.createdAt,
        sentAt: deliveries.sentAt,
      })
      .from(deliveries)
      .where(eq(deliveries.userId, user.id))
      .orderBy(asc(deliveries.createdAt)),
    db.select().from(inbound).where(eq(inbound.userId, user.id)).orderBy(asc(inbound.receivedAt)),
    db.select().from(suppressions).where(eq(suppressions.address, user.email)),
  ]);
  const suppression = suppressionRows[0];
  const { id: _id, ...settings } = user;
  return {
    exportedAt: new Date(now).toISOString(),
    user: settings,
    threads: threadRows.map((row): ExportedThread => {
      const { leaseUntil: _lease, userId: _user, ...t } = row;
      return {
        ...t,
        contacts: threadContacts(row),
        sentAtIso: new Date(t.sentAt).toISOString(),
        dueAtIso: iso(t.dueAt),
      };
    }),
    events: eventRows.map((e) => ({
      threadId: e.threadId,
      kind: e.kind,
      source: e.source,
      at: new Date(e.at).toISOString(),
    })),
    mail: mailRows.map((d) => ({
      id: d.id,
      kind: d.kind,
      threadId: d.threadId,
      subject: d.subject,
      status: d.status,
      lastError: d.lastError,
      createdAt: new Date(d.createdAt).toISOString(),
      sentAt: iso(d.sentAt),
    })),
    received: inboundRows.map((r) => ({
      receivedAt: new Date(r.receivedAt).toISOString(),
      to: r.envelopeTo,
      subject: r.subject,
      outcome: r.outcome,
    })),
    suppression:
      suppression === undefined
        ? null
        : {
            cause: suppression.cause,
            detail: suppression.detail,
            event: suppression.eventType,
            at: new Date(suppression.createdAt).toISOString(),
          },
  };
}

/**
 * Statements that delete every row carrying the user's id or address, one per table and
 * column; a new table that can hold an address or a user id joins here (the census in
 * test/security/account-delete.test.ts fails until it does). Rows are found through
 * indexes, except the dev outbox (local only) and notices (a day or two of rate limits).
 */
export function accountDeletions(db: Db, user: UserRow): Statement[] {
  const ownThreads = db.select({ id: threads.id }).from(threads).where(eq(threads.userId, user.id));
  return [
    db.delete(events).where(eq(events.userId, user.id)),
    db.delete(threadMessages).where(eq(threadMessages.userId, user.id)),
    db.delete(deliveries).where(eq(deliveries.userId, user.id)),
    // Inbound records: the user's own, and those recorded without a user id that carry
    // the address (held mail, automated replies, bulk, refused senders) or concern the user's
    // threads (automated mail to a reply address). Before the threads go.
    db.delete(inbound).where(eq(inbound.userId, user.id)),
    db.delete(inbound).where(eq(inbound.headerFrom, user.email)),
    db.delete(inbound).where(eq(inbound.envelopeFrom, user.email)),
    db.delete(inbound).where(inArray(inbound.threadId, ownThreads)),
    ...forgetAddress(db, user.email),
    db.delete(loginTokens).where(eq(loginTokens.userId, user.id)),
    db.delete(sessions).where(eq(sessions.userId, user.id)),
    db.delete(threads).where(eq(threads.userId, user.id)),
    // The local outbox (development only) holds copies of mail sent to the user.
    db.delete(devOutbox).where(eq(devOutbox.toAddress, user.email)),
    // The suppression of the address, if any, carries it too. Resend keeps its own list,
    // which still protects the sending reputation.
    db.delete(suppressions).where(eq(suppressions.address, user.email)),
    // Rate-limit rows are keyed `<purpose>:<email or user id>`.
    db
      .delete(notices)
      .where(
        inArray(sql`substr(${notices.key}, instr(${notices.key}, ':') + 1)`, [user.email, user.id]),
      ),
    db
      .delete(answerLog)
      .where(
        inArray(answerLog.key, [
          ...answerKeysOf(user.email),
          ...threadBudget(user.id).map((b) => b.key),
        ]),
      ),
    db.delete(users).where(eq(users.id, user.id)),
  ];
}

/**
 * Deletes a user and every row that carries their id or address, in one atomic batch. The
 * foreign keys cascade too, but naming each table keeps the promise visible and
 * independent of PRAGMAs.
 */
export async function deleteAccount(db: Db, user: UserRow): Promise<void> {
  await runBatch(db, accountDeletions(db, user));
}
