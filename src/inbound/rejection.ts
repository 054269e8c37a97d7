import type { FromProblem } from "../domain/from-mailbox";
import { type SenderAuth, senderAuthRejection } from "../domain/sender-auth";
import { MAX_HELD_BYTES, MAX_HELD_MESSAGES } from "../domain/signup";
import type { ParseError } from "./parse";

/** Every expected way an inbound email is refused in-session; one switch below words each. */
export type Rejection =
  | ParseError
  /** The raw From header does not name exactly one mailbox (SPEC section 9). */
  | { kind: "from-header"; problem: FromProblem; value: string }
  /** SENDER_AUTH=enforce, and Email Routing's stamp does not vouch for the From address. */
  | { kind: "unauthenticated"; address: string; verdict: SenderAuth }
  | { kind: "not-a-user"; address: string }
  /** A pending address already has as much held mail as Sprout keeps (SPEC section 6). */
  | { kind: "hold-full"; address: string; messages: number; bytes: number }
  /** The user started THREADS_PER_DAY new threads in the last 24 hours (SPEC section 9). */
  | { kind: "thread-limit"; limit: number }
  | { kind: "foreign-domain"; envelopeTo: string }
  | { kind: "unknown-address"; local: string }
  | { kind: "bad-reply-address" }
  | { kind: "thread-gone" }
  | { kind: "not-owner" };

const WHO = "Sprout could not tell who sent this message:";

/** The sentence the sending server's bounce carries, so the sender knows what to change. */
export function describeRejection(r: Rejection, mailDomain: string): string {
  switch (r.kind) {
    case "unparseable":
      return "Sprout could not read this message: it is not a valid email.";
    case "no-from":
      return `${WHO} it has no From header.`;
    case "several-from":
      return `${WHO} it has more than one From header.`;
    case "bad-from":
      return `${WHO} the From header "${shown(r.value, 100)}" holds no usable address.`;
    case "from-header":
      return `${WHO} ${fromHeaderProblem(r.problem, r.value)}`;
    case "unauthenticated":
      return senderAuthRejection(r.address, r.verdict);
    case "not-a-user":
      return `Sprout only accepts mail from its users, and ${r.address} is not one. Ask the person who runs this Sprout to add you.`;
    case "hold-full":
      return `Sprout already keeps ${r.messages} messages (${size(r.bytes)}) from ${r.address} until the address is confirmed, and keeps at most ${MAX_HELD_MESSAGES} messages or ${size(MAX_HELD_BYTES)}. Confirm with the link Sprout emailed to ${r.address}, then send this message again.`;
    case "thread-limit":
      return `Sprout tracks at most ${r.limit} new conversations a day for one person, and you reached that today. Nothing was tracked: send this message to Sprout again tomorrow.`;
    case "foreign-domain":
      return `${r.envelopeTo} is not a Sprout address (Sprout receives mail for ${mailDomain}).`;
    case "unknown-address":
      return `Sprout has no address "${r.local}@${mailDomain}". Use follow@, a time such as 3d@ or tomorrow9am@, every3months@, list@ or help@${mailDomain}.`;
    case "bad-reply-address":
      return "This Sprout reply address is not valid: it may have been altered.";
    case "thread-gone":
      return "This Sprout conversation no longer exists (it may have been deleted).";
    case "not-owner":
      return "Only the person who started this Sprout conversation can answer its reminders.";
  }
}

function fromHeaderProblem(problem: FromProblem, value: string): string {
  switch (problem.kind) {
    case "no-from":
      return "it has no From header.";
    case "several-from-headers":
      return `it has more than one From header (${problem.count}); Sprout needs exactly one.`;
    case "empty":
      return `the From header "${shown(value, 100)}" holds no usable address.`;
    case "group":
      return `the From header "${shown(value, 100)}" is a group of addresses; Sprout needs exactly one address.`;
    case "several-mailboxes":
      return `the From header holds ${problem.count} addresses; Sprout needs exactly one.`;
    case "unreadable":
      return `the From header "${shown(value, 100)}" holds no usable address (${problem.detail}).`;
  }
}

/** The label of a rejection in the inbound table. */
export function rejectionLabel(r: Rejection): string {
  return r.kind === "from-header" ? `rejected:from-${r.problem.kind}` : `rejected:${r.kind}`;
}

// Text copied from the message goes into an SMTP reply: printable ASCII, cut short.
function shown(text: string, max: number): string {
  const printable = text.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > max ? `${printable.slice(0, max - 3)}...` : printable;
}

function size(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${mib.toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
