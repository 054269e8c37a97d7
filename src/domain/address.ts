import { looksLikeTime } from "./time-grammar";
import { forParsing } from "./untrusted";

/** What an envelope recipient at MAIL_DOMAIN asks Sprout to do (SPEC section 1). */
export type Route =
  | { kind: "help" }
  | { kind: "list" }
  | { kind: "login" }
  | { kind: "follow"; local: string }
  | { kind: "every"; local: string; rest: string }
  | { kind: "reply"; local: string; threadId: string; signature: string }
  | { kind: "time"; local: string }
  | { kind: "unknown"; local: string }
  | { kind: "foreign-domain"; domain: string };

// The reply address is `re-<thread id>-<signature>`: both parts use lower-case base32, so a
// mail server that upper-cases the address changes nothing once it is lower-cased again.
const REPLY = /^re[-_.]?([a-z2-7]{10})[-_.]?([a-z2-7]{16})$/;

/** Splits an address into lower-cased local part and domain; null when it is not one. */
function splitAddress(address: string): { local: string; domain: string } | null {
  const trimmed = address.trim().replace(/^<|>$/g, "");
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return null;
  return { local: trimmed.slice(0, at).toLowerCase(), domain: trimmed.slice(at + 1).toLowerCase() };
}

/** The part of a local part that selects the action: `anything+3d` means `3d`. */
function actionPart(local: string): string {
  const plus = local.lastIndexOf("+");
  return (plus >= 0 ? local.slice(plus + 1) : local).toLowerCase();
}

/**
 * Routes one envelope recipient to an action. Only the first 200 characters of the local
 * part are read (SMTP allows 64), so the route and everything after it stays small.
 */
export function routeRecipient(address: string, mailDomain: string): Route {
  const parts = splitAddress(address);
  if (parts === null) return { kind: "unknown", local: forParsing(address) };
  if (parts.domain !== mailDomain.toLowerCase()) {
    return { kind: "foreign-domain", domain: forParsing(parts.domain) };
  }
  const local = forParsing(actionPart(parts.local));
  const reply = REPLY.exec(local);
  if (reply?.[1] !== undefined && reply[2] !== undefined) {
    return { kind: "reply", local, threadId: reply[1], signature: reply[2] };
  }
  // `-`, `_` and `.` between tokens carry no meaning for keywords.
  const bare = local.replace(/[-_.]/g, "");
  switch (bare) {
    case "help":
      return { kind: "help" };
    case "list":
      return { kind: "list" };
    case "login":
      return { kind: "login" };
    case "follow":
    case "f":
      return { kind: "follow", local };
  }
  if (bare.startsWith("every") && bare.length > "every".length) {
    return { kind: "every", local, rest: local.replace(/^every[-_.]?/, "") };
  }
  if (bare !== "" && looksLikeTime(local)) return { kind: "time", local };
  return { kind: "unknown", local };
}

/** True when the address is one of this deployment's (any local part at MAIL_DOMAIN). */
export function isSproutAddress(address: string, mailDomain: string): boolean {
  return splitAddress(address)?.domain === mailDomain.toLowerCase();
}
