import type { Db } from "../db/client";
import { storeInOutbox } from "../db/dev";
import { type Envelope, type Mailer, retryLater, type SendOutcome } from "./mailer";

/** Local development: mail is kept in D1 and listed at /dev/outbox instead of being sent. */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly db: Db,
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
    await storeInOutbox(this.db, rows);
    return envelopes.map((e) => ({ status: "sent", providerId: `outbox:${e.idempotencyKey}` }));
  }
}
