import type { ParseError } from "./parse";

/** Every expected way an inbound email is refused in-session; one switch below words each. */
export type Rejection =
  | ParseError
  | { kind: "not-a-user"; address: string }
  | { kind: "foreign-domain"; envelopeTo: string }
  | { kind: "unknown-address"; local: string }
  | { kind: "bad-reply-address" }
  | { kind: "thread-gone" }
  | { kind: "not-owner" };

/** The sentence the sending server's bounce carries, so the sender knows what to change. */
export function describeRejection(r: Rejection, mailDomain: string): string {
  switch (r.kind) {
    case "unparseable":
      return "Sprout could not read this message: it is not a valid email.";
    case "no-from":
      return "Sprout could not tell who sent this message: it has no From header.";
    case "several-from":
      return "Sprout could not tell who sent this message: it has more than one From header.";
    case "bad-from":
      return `Sprout could not tell who sent this message: the From header "${r.value.slice(0, 100)}" holds no usable address.`;
    case "not-a-user":
      return `Sprout only accepts mail from its users, and ${r.address} is not one. Ask the person who runs this Sprout to add you.`;
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
