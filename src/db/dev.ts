import { desc } from "drizzle-orm";
import type { Db } from "./client";
import { devOutbox, type ThreadRow, threads } from "./schema";
import { type Contact, threadContacts } from "./threads";

// Local development only (DEV_OUTBOX=true): the dev outbox, and what /dev/ lists.

type NewOutboxRow = typeof devOutbox.$inferInsert;

/** Stores mail in the dev outbox in one batch; a key stored before is kept, like Resend. */
export async function storeInOutbox(db: Db, rows: NewOutboxRow[]): Promise<void> {
  const [first, ...rest] = rows.map((row) =>
    db.insert(devOutbox).values(row).onConflictDoNothing(),
  );
  if (first !== undefined) await db.batch([first, ...rest]);
}

/** One message of the dev outbox, as /dev/outbox.json lists it. */
interface OutboxEntry {
  id: number;
  createdAt: string;
  idempotencyKey: string;
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** The newest `limit` messages of the dev outbox, newest first. */
export async function listOutbox(db: Db, limit = 200): Promise<OutboxEntry[]> {
  const rows = await db.select().from(devOutbox).orderBy(desc(devOutbox.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    createdAt: new Date(r.createdAt).toISOString(),
    idempotencyKey: r.idempotencyKey,
    from: r.fromAddress,
    to: r.toAddress,
    replyTo: r.replyTo,
    subject: r.subject,
    text: r.textBody,
    html: r.htmlBody,
    headers: JSON.parse(r.headersJson) as Record<string, string>,
  }));
}

/** The newest `limit` threads of every user, with readable times and parsed contacts. */
export async function latestThreads(
  db: Db,
  limit = 200,
): Promise<(ThreadRow & { dueAtIso: string | null; contacts: Contact[] })[]> {
  const rows = await db.select().from(threads).orderBy(desc(threads.createdAt)).limit(limit);
  return rows.map((t) => ({
    ...t,
    dueAtIso: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
    contacts: threadContacts(t),
  }));
}
