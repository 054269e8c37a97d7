import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { singleFromMailbox } from "../../src/domain/from-mailbox";
import { headerText, readHeaders } from "../../src/domain/raw-headers";
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

/**
 * Cloudflare Email Routing's verdict on a message that passed, as it prepends it: DKIM and
 * DMARC for the domain of the raw From header, SPF for the envelope sender. Folded over
 * several lines, as the real stamp is.
 */
export function passingStamp(raw: string | Uint8Array, envelopeFrom: string): string {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  const from = singleFromMailbox(readHeaders(headerText(bytes)));
  const fallback = envelopeFrom.slice(envelopeFrom.lastIndexOf("@") + 1) || "example.com";
  const domain = from.ok ? from.value.domain : fallback;
  return [
    "ARC-Authentication-Results: i=1; mx.cloudflare.net;",
    `\tdkim=pass header.d=${domain} header.s=s2026 header.b=Tq8vXk2p;`,
    `\tdmarc=pass header.from=${domain} policy.dmarc=none;`,
    `\tspf=pass (mx.cloudflare.net: domain of ${envelopeFrom} designates 203.0.113.25 as permitted sender) smtp.mailfrom=${envelopeFrom};`,
    "\tarc=none smtp.remote-ip=203.0.113.25",
  ].join("\r\n");
}

/** Puts header lines on top of a raw message, as Email Routing puts its own. */
export function prepend(raw: string | Uint8Array, header: string): Uint8Array {
  const head = new TextEncoder().encode(`${header}\r\n`);
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  const out = new Uint8Array(head.byteLength + bytes.byteLength);
  out.set(head, 0);
  out.set(bytes, head.byteLength);
  return out;
}

/**
 * Delivers a raw message to the Worker's email handler, as Email Routing would: by default
 * with a passing Cloudflare stamp on top (aligned with the From domain), so tests run under
 * SENDER_AUTH=enforce as a deployment does. `stamp: "none"` delivers the message as it is
 * (a test then writes any stamp it wants into the message itself); a string is put on top
 * instead of the passing stamp.
 */
export async function deliver(
  raw: string | Uint8Array,
  opts: { from?: string; to: string; stamp?: "pass" | "none" | string },
  bindings: Env = env,
): Promise<Delivered> {
  const from = opts.from ?? "owner@example.com";
  const stamp = opts.stamp ?? "pass";
  const stamped =
    stamp === "none" ? raw : prepend(raw, stamp === "pass" ? passingStamp(raw, from) : stamp);
  const { message, record } = emailMessage(stamped, from, opts.to);
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
