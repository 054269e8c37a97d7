// The Resend webhook events Sprout acts on (SPEC section 9): a permanent bounce or a spam
// complaint puts the recipient on the suppression list, and so does Resend refusing to send
// to an address on its own suppression list (email.suppressed: the mail did not go out, and
// will not until the operator lifts it there); everything else changes nothing.
//
// Payload (resend.com/docs/webhooks, and the resend SDK's EmailBouncedEvent type):
//   { "type": "email.bounced", "created_at": "...",
//     "data": { "email_id": "...", "from": "...", "to": ["a@example.com"], "subject": "...",
//               "bounce": { "type": "Permanent", "subType": "General", "message": "..." } } }
// `email.bounced` is documented as a permanent rejection by the recipient's server; its
// `bounce.type` carries Amazon SES's classification (Permanent, Transient, Undetermined).

/** Why an event suppresses: a permanent bounce, a spam report, Resend's own list. */
export type SuppressCause = "bounce" | "complaint" | "provider";

/** The event type behind each cause. */
export const EVENT_TYPE_OF: Record<SuppressCause, string> = {
  bounce: "email.bounced",
  complaint: "email.complained",
  provider: "email.suppressed",
};

/** What to do about one verified webhook event. */
export type ResendEvent =
  | {
      kind: "suppress";
      cause: SuppressCause;
      /** Lower-cased recipient addresses (Sprout sends every email to one recipient). */
      recipients: string[];
      /** Resend's id of the email concerned, when the payload names it. */
      emailId: string | null;
      /** A short account for the record, e.g. "Permanent/General: 550 5.1.1 user unknown". */
      detail: string;
    }
  | { kind: "ignore"; why: string };

/** At most this many recipients are taken from one event. */
export const MAX_EVENT_RECIPIENTS = 50;

/** Reads a verified webhook body into the action Sprout takes. */
export function readResendEvent(body: string): ResendEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { kind: "ignore", why: "the body is not JSON" };
  }
  if (!isRecord(payload) || typeof payload.type !== "string") {
    return { kind: "ignore", why: "no event type" };
  }
  const type = payload.type;
  if (type !== "email.bounced" && type !== "email.complained" && type !== "email.suppressed") {
    return { kind: "ignore", why: `Sprout does not act on ${text(type, 60)}` };
  }
  const data = isRecord(payload.data) ? payload.data : {};
  const recipients = addresses(data.to);
  if (recipients.length === 0) return { kind: "ignore", why: `${type} without a recipient` };
  const emailId = typeof data.email_id === "string" ? text(data.email_id, 100) : null;
  if (type === "email.complained") {
    return { kind: "suppress", cause: "complaint", recipients, emailId, detail: "spam complaint" };
  }
  if (type === "email.suppressed") {
    const why = isRecord(data.suppressed) ? data.suppressed : {};
    const detail = [why.type, why.message]
      .filter((s): s is string => typeof s === "string" && s !== "")
      .join(": ");
    return {
      kind: "suppress",
      cause: "provider",
      recipients,
      emailId,
      detail: text(detail || "on Resend's suppression list", 300),
    };
  }
  const bounce = isRecord(data.bounce) ? data.bounce : {};
  const bounceType = typeof bounce.type === "string" ? bounce.type : "";
  const detail = [bounceType, bounce.subType]
    .filter((s): s is string => typeof s === "string" && s !== "")
    .join("/");
  const message = typeof bounce.message === "string" ? `: ${bounce.message}` : "";
  if (!isPermanent(bounceType)) {
    return { kind: "ignore", why: `temporary bounce (${text(detail || "no type", 60)})` };
  }
  return {
    kind: "suppress",
    cause: "bounce",
    recipients,
    emailId,
    detail: text(`${detail || "bounce"}${message}`, 300),
  };
}

// SES's Permanent (and "hard", which some senders write) is permanent. Transient and
// Undetermined are not: a wrong suppression would silence a user's reminders. A bounce
// without a type is permanent, because that is what the event itself is documented to mean.
function isPermanent(bounceType: string): boolean {
  const t = bounceType.trim().toLowerCase();
  return t === "" || t === "permanent" || t === "hard";
}

// `to` is an array of addresses (a single string is accepted too); `Name <a@b>` is reduced
// to its address. Anything that is not a plausible address is dropped.
function addresses(to: unknown): string[] {
  const list = Array.isArray(to) ? to : [to];
  const found = new Set<string>();
  for (const item of list.slice(0, MAX_EVENT_RECIPIENTS)) {
    if (typeof item !== "string" || item.length > 1000) continue;
    const angle = /<([^<>]*)>\s*$/.exec(item);
    const address = (angle?.[1] ?? item).trim().toLowerCase();
    if (/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(address) && address.length <= 254) {
      found.add(address);
    }
  }
  return [...found];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Text from the payload goes into logs and the database: no control characters, bounded.
function text(value: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is removed.
  const clean = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}
