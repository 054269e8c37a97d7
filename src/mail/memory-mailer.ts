import type { Envelope, Mailer, SendOutcome } from "./mailer";

/** The in-memory twin of a Mailer: records what was sent; tests may script outcomes. */
export class MemoryMailer implements Mailer {
  readonly sent: Envelope[] = [];
  readonly calls: { kind: "send" | "batch"; keys: string[]; batchKey?: string }[] = [];
  private readonly seenKeys = new Set<string>();
  /** Outcomes to return before behaving normally, consumed one per email. */
  readonly script: SendOutcome[] = [];

  async send(envelope: Envelope): Promise<SendOutcome> {
    this.calls.push({ kind: "send", keys: [envelope.idempotencyKey] });
    return this.deliver(envelope);
  }

  async sendBatch(envelopes: Envelope[], batchKey: string): Promise<SendOutcome[]> {
    this.calls.push({ kind: "batch", keys: envelopes.map((e) => e.idempotencyKey), batchKey });
    return envelopes.map((e) => this.deliver(e));
  }

  private deliver(envelope: Envelope): SendOutcome {
    const scripted = this.script.shift();
    if (scripted !== undefined && scripted.status !== "sent") return scripted;
    if (!this.seenKeys.has(envelope.idempotencyKey)) {
      this.seenKeys.add(envelope.idempotencyKey);
      this.sent.push(envelope);
    }
    return { status: "sent", providerId: `memory:${envelope.idempotencyKey}` };
  }
}
