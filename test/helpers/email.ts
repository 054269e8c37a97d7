import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

/** What the Worker did with one delivered message, as Email Routing would see it. */
export interface Delivered {
  rejected: string | null;
  forwarded: string[];
}

/** A ForwardableEmailMessage-shaped object around raw bytes, recording what the Worker does. */
export function emailMessage(raw: string | Uint8Array, from: string, to: string) {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  const record: Delivered = { rejected: null, forwarded: [] };
  const message = {
    from,
    to,
    headers: new Headers(),
    raw: new Blob([bytes]).stream(),
    rawSize: bytes.byteLength,
    canBeForwarded: true,
    setReject(reason: string) {
      record.rejected = reason;
    },
    async forward(rcptTo: string) {
      record.forwarded.push(rcptTo);
      return { messageId: "forwarded" };
    },
    async reply() {
      throw new Error("Sprout must not use message.reply");
    },
  };
  return { message: message as unknown as ForwardableEmailMessage, record };
}

/** Delivers a raw message to the Worker's email handler, as Email Routing would. */
export async function deliver(
  raw: string | Uint8Array,
  opts: { from?: string; to: string },
  bindings: Env = env,
): Promise<Delivered> {
  const from = opts.from ?? "owner@example.com";
  const { message, record } = emailMessage(raw, from, opts.to);
  const ctx = createExecutionContext();
  const handler: ExportedHandler<Env> = worker;
  await handler.email?.(message, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return record;
}

let counter = 0;

/** A unique Message-ID for a test message, so tests sharing one D1 file do not collide. */
export function uniqueId(tag = "t"): string {
  counter += 1;
  return `${tag}-${counter}-${crypto.randomUUID()}@mail.example.com`;
}

/** Builds a small plain-text message; headers may be overridden or removed (value null). */
export function mime(opts: {
  from?: string | null;
  to?: string | null;
  cc?: string;
  subject?: string | null;
  messageId?: string | null;
  date?: string;
  body?: string;
  headers?: Record<string, string>;
}): string {
  const lines: string[] = [];
  const add = (name: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) lines.push(`${name}: ${value}`);
  };
  add("From", opts.from === undefined ? "Olivia Owner <owner@example.com>" : opts.from);
  add("To", opts.to === undefined ? "Jane Doe <jane@example.org>" : opts.to);
  add("Cc", opts.cc);
  add("Subject", opts.subject === undefined ? "Coffee next week?" : opts.subject);
  add("Date", opts.date ?? "Tue, 03 Mar 2026 09:14:00 +0000");
  add(
    "Message-ID",
    opts.messageId === undefined
      ? `<${uniqueId()}>`
      : opts.messageId === null
        ? null
        : `<${opts.messageId}>`,
  );
  add("MIME-Version", "1.0");
  add("Content-Type", "text/plain; charset=utf-8");
  for (const [k, v] of Object.entries(opts.headers ?? {})) add(k, v);
  return `${lines.join("\r\n")}\r\n\r\n${opts.body ?? "Hi Jane,\r\n\r\nWould you have 20 minutes for coffee next week?\r\n\r\nOlivia\r\n"}`;
}
