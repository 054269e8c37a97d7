import type { ThreadCommand } from "../commands/apply";
import type { Config } from "../config";
import type { Db, Statement } from "../db/client";
import { type NewDelivery, queueDelivery } from "../db/deliveries";
import type { InboundRecord } from "../db/inbound";
import type { UserRow } from "../db/schema";
import type { Rule } from "../domain/lifecycle";
import type { OutgoingEmail } from "../domain/outgoing";
import type { SenderAuth } from "../domain/sender-auth";
import { cutText, MAX_STORED_SUBJECT } from "../domain/untrusted";
import { composeEmail } from "../mail/compose";
import type { Mailer } from "../mail/mailer";
import type { Rendered } from "../mail/templates/layout";
import type { InboundMessage } from "./parse";
import type { Rejection } from "./rejection";

/** What the email handler needs from the outside world. */
export interface InboundDeps {
  db: Db;
  mailer: Mailer;
  config: Config;
  /** Read once at the edge. */
  now: number;
}

/** The sender-authentication verdict on a message, or "off" when SENDER_AUTH=off. */
export type AuthVerdict = SenderAuth | { kind: "off" };

/** True when the message may act as its From address: authenticated, or checks are off. */
export function passesAuth(v: AuthVerdict): boolean {
  return v.kind !== "unauthenticated";
}

/** One inbound delivery after parsing, with who sent it. */
export interface Incoming {
  envelopeFrom: string;
  envelopeTo: string;
  msg: InboundMessage;
  /** The raw message as read (at most its first 1 MiB): what a sign-up hold keeps. */
  raw: Uint8Array;
  /** Whether the From address is vouched for (SPEC section 9). */
  auth: AuthVerdict;
  /** Set when a held message is processed after its sender confirmed (inbound/held.ts). */
  heldId: string | null;
  /** The Message-ID, or a stable synthetic one when the message had none. */
  messageId: string;
  /** Identifies this delivery (Message-ID and envelope): the same delivery twice is a no-op. */
  deliveryKey: string;
  truncated: boolean;
}

/** What became of an inbound message; the entry point maps it to SMTP. */
export type InboundOutcome =
  | { kind: "rejected"; rejection: Rejection }
  | { kind: "ignored"; reason: string }
  | { kind: "duplicate" }
  | { kind: "handled"; outcome: Handled; threadId: string | null; deliveryIds: string[] };

/**
 * Whether an automatic answer went out: `rate-limited` is silence past a limit of SPEC 9;
 * `on-the-web` is a held list@ or login@ that confirming already answers (inbound/held.ts).
 */
type Answer = "sent" | "rate-limited" | "on-the-web";

/** What acting on an accepted message did; kept on the inbound row as `outcomeLabel`. */
type Handled =
  | { kind: "answered"; what: "help" | "list" | "login"; answer: Answer }
  | { kind: "tracked"; rule: "tracked" | "needs-time"; answer: Answer }
  /** Another copy of a message already handled (sent to a second Sprout address). */
  | { kind: "copy"; rule: Rule; timeNotUnderstood: boolean }
  | { kind: "followup"; rule: Rule }
  /** `verified`: false when the reply failed sender authentication and was only recorded. */
  | { kind: "contact-reply"; via: "detected" | "forwarded"; verified: boolean }
  | { kind: "command"; command: ThreadCommand["kind"]; answer: Answer }
  | { kind: "command-refused"; answer: Answer }
  | { kind: "help-reply"; asked: "help" | "unknown"; rateLimited: boolean }
  /** An unknown sender's mail kept until they confirm (SPEC section 6). */
  | { kind: "held"; answer: Answer };

/** ":rate-limited" or ":on-the-web" after a label, nothing when the answer went out. */
function answerSuffix(a: Answer): string {
  return a === "sent" ? "" : `:${a}`;
}

/** The label of an outcome in the inbound table and the logs. */
export function outcomeLabel(h: Handled): string {
  switch (h.kind) {
    case "answered":
      return `${h.what}${answerSuffix(h.answer)}`;
    case "tracked":
      return h.rule === "tracked" ? "tracked" : `unscheduled:bad-time${answerSuffix(h.answer)}`;
    case "copy":
      if (h.timeNotUnderstood) return "merged:ignored-bad-time";
      return h.rule === "unchanged" ? "merged:kept" : `merged:${h.rule}`;
    case "followup":
      return h.rule === "new-round"
        ? "followup:new-round"
        : h.rule === "unchanged"
          ? "followup:counted"
          : "followup";
    case "contact-reply":
      if (!h.verified) return "contact-reply:unverified";
      return h.via === "detected" ? "contact-reply" : "forwarded-reply";
    case "command":
      return `reply:${h.command}${answerSuffix(h.answer)}`;
    case "command-refused":
      return `reply:bad-time${answerSuffix(h.answer)}`;
    case "help-reply":
      return `reply:${h.asked}${h.rateLimited ? ":rate-limited" : ""}`;
    case "held":
      return `held${answerSuffix(h.answer)}`;
  }
}

/** The result of acting on a message: statements to commit together, then mail to send. */
export interface Action {
  outcome: Handled;
  threadId: string | null;
  statements: Statement[];
  deliveries: NewDelivery[];
  detail?: string | undefined;
}

/**
 * The inbound row that marks a delivery as handled. Every field is cut (issue 9: a
 * stranger's 990-character subjects were stored whole), and addresses are lower-cased, so
 * account delete finds the row by the user's address through an index.
 */
export function inboundRecord(
  inc: Incoming,
  now: number,
  fields: Pick<InboundRecord, "outcome" | "userId" | "threadId" | "detail">,
): InboundRecord {
  return {
    id: inc.deliveryKey,
    receivedAt: now,
    envelopeFrom: cutText(inc.envelopeFrom.trim().toLowerCase(), 320),
    envelopeTo: cutText(inc.envelopeTo.trim().toLowerCase(), 320),
    headerFrom: cutText(inc.msg.from.address, 320),
    messageId: cutText(inc.messageId, 998),
    subject: cutText(inc.msg.subject ?? "", MAX_STORED_SUBJECT),
    ...fields,
    detail:
      fields.detail === null || fields.detail === undefined ? null : cutText(fields.detail, 500),
  };
}

/** A reply from Sprout to the sender's own message, threaded under it. */
export function replyTo(
  config: Config,
  user: UserRow,
  inc: Incoming,
  rendered: Rendered,
  extra: { replyTo?: string } = {},
): OutgoingEmail {
  return composeEmail(config, {
    to: user.email,
    rendered,
    autoSubmitted: "auto-replied",
    thread: { parentId: inc.messageId, ancestors: inc.msg.references },
    replyTo: extra.replyTo,
  });
}

/** Queues a delivery inside an action's batch. */
export function queue(deps: InboundDeps, action: Action, delivery: NewDelivery): void {
  action.deliveries.push(delivery);
  action.statements.push(queueDelivery(deps.db, delivery, deps.now));
}
