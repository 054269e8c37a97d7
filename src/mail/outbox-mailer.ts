import { desc } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { devOutbox } from "../db/schema";
import { type Envelope, type Mailer, retryLater, type SendOutcome } from "./mailer";

/** Local development: mail is kept in D1 and listed at /dev/outbox instead of being sent. */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly db: DrizzleD1Database,
    private readonly now: () => number,
  ) {}

  async send(envelope: Envelope): Promise<SendOutcome> {
    const [outcome] = await this.sendBatch([envelope], envelope.idempotencyKey);
    return outcome ?? retryLater("outbox wrote nothing");
  }

  async sendBatch(envelopes: Envelope[], _batchKey?: string): Promise<SendOutcome[]> {
    if (envelopes.length === 0) return [];
    const createdAt = this.now();
    // Like Resend, a key seen before delivers nothing new.
    const rows = envelopes.map(({ email, idempotencyKey }) => ({
      idempotencyKey,
      createdAt,
      fromAddress: email.from,
      toAddress: email.to,
      replyTo: email.replyTo ?? null,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html,
      headersJson: JSON.stringify(email.headers),
    }));
    const [first, ...rest] = rows.map((row) =>
      this.db.insert(devOutbox).values(row).onConflictDoNothing(),
    );
    if (first !== undefined) await this.db.batch([first, ...rest]);
    return envelopes.map((e) => ({ status: "sent", providerId: `outbox:${e.idempotencyKey}` }));
  }
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
export async function listOutbox(db: DrizzleD1Database, limit = 200): Promise<OutboxEntry[]> {
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
