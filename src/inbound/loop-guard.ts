import type { InboundMessage } from "./parse";

/**
 * Why a message must get no answer (RFC 3834 and common practice). `automated`: an
 * auto-reply, a bounce, a daemon or Sprout itself, never acted on. `bulk`: list and
 * mail-merge markers, acted on only as a verified user's outreach to a tracking address,
 * because tracking answers nothing.
 */
export type LoopVerdict = { kind: "automated" | "bulk"; reason: string };

/** The verdict on a message, or null when Sprout may act on it and answer it. */
export function loopVerdict(
  msg: InboundMessage,
  envelopeFrom: string,
  ownAddress: string,
): LoopVerdict | null {
  const automated = automatedReason(msg, envelopeFrom, ownAddress);
  if (automated !== null) return { kind: "automated", reason: automated };
  const bulk = bulkReason(msg);
  return bulk === null ? null : { kind: "bulk", reason: bulk };
}

function automatedReason(msg: InboundMessage, envelopeFrom: string, ownAddress: string) {
  const envelope = envelopeFrom.trim().replace(/^<|>$/g, "").toLowerCase();
  if (envelope === "") return "null envelope sender";
  const envelopeLocal = envelope.split("@")[0] ?? "";
  const fromLocal = msg.from.address.split("@")[0] ?? "";
  if (isDaemon(envelopeLocal) || isDaemon(fromLocal)) return "sent by a mailer daemon";
  const auto = msg.autoSubmitted?.toLowerCase().split(";")[0]?.trim();
  if (auto !== undefined && auto !== "" && auto !== "no") return `Auto-Submitted: ${auto}`;
  // Delivery status notifications and abuse feedback reports (RFC 3462, RFC 5965).
  if (msg.contentType === "multipart/report") return "delivery or feedback report";
  if (msg.autoReplyHeaders.length > 0) return `auto-reply header ${msg.autoReplyHeaders[0]}`;
  // Some out-of-office replies carry no header at all, only a tell-tale subject.
  if (AUTO_REPLY_SUBJECT.test(msg.subject ?? "")) return "auto-reply subject";
  if (msg.from.address === ownAddress.toLowerCase()) return "sent by Sprout itself";
  return null;
}

function bulkReason(msg: InboundMessage) {
  const precedence = msg.precedence?.toLowerCase().trim();
  if (precedence === "bulk" || precedence === "junk" || precedence === "list") {
    return `Precedence: ${precedence}`;
  }
  if (msg.listId !== null) return "mailing-list message (List-Id)";
  if (msg.listUnsubscribe !== null) return "bulk message (List-Unsubscribe)";
  return null;
}

const AUTO_REPLY_SUBJECT =
  /^\s*(auto(matic)?[\s-]*(reply|response|antwort)|autoreply|out of (the )?office|abwesenheitsnotiz|r[ée]ponse automatique|away from (my|the) (desk|office)|i am out of the office|undeliverable|delivery status notification)\b/i;

function isDaemon(local: string): boolean {
  return local === "mailer-daemon" || local === "postmaster" || local === "mail-daemon";
}
