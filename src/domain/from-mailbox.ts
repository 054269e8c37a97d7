// SPEC section 9: the header From holds exactly one mailbox, checked on the raw header.
// postal-mime keeps only the first address of a list, so "a@x, b@y" would look like a@x
// alone; this reads the raw field with RFC 5322 syntax instead: quoted strings and comments
// are opaque (a comma or an @ inside them separates nothing), encoded words are never
// decoded first (a decoded comma is text, not a separator), group syntax is refused.

import type { RawHeader } from "./raw-headers";
import { err, ok, type Result } from "./result";

/** The one mailbox of a From header. */
export interface FromMailbox {
  /** `local@domain`, lower-cased. */
  address: string;
  local: string;
  domain: string;
}

/** Why the From header does not name exactly one mailbox. */
export type FromProblem =
  | { kind: "no-from" }
  | { kind: "several-from-headers"; count: number }
  | { kind: "empty" }
  | { kind: "group" }
  | { kind: "several-mailboxes"; count: number }
  | { kind: "unreadable"; detail: string };

/** Longer From fields are refused unread: no real sender needs 2,000 characters. */
export const MAX_FROM_LENGTH = 2000;

/** The single mailbox of the message's single From header, or why there is not exactly one. */
export function singleFromMailbox(headers: readonly RawHeader[]): Result<FromMailbox, FromProblem> {
  const froms = headers.filter((h) => h.key === "from");
  const [from] = froms;
  if (from === undefined) return err({ kind: "no-from" });
  if (froms.length > 1) return err({ kind: "several-from-headers", count: froms.length });
  if (from.value.length > MAX_FROM_LENGTH) {
    return err({ kind: "unreadable", detail: `longer than ${MAX_FROM_LENGTH} characters` });
  }
  const tokens = tokenize(from.value);
  if (typeof tokens === "string") return err({ kind: "unreadable", detail: tokens });
  const members = splitMembers(tokens);
  if (typeof members === "string") {
    return err(members === "group" ? { kind: "group" } : { kind: "unreadable", detail: members });
  }
  const [only] = members;
  if (only === undefined) return err({ kind: "empty" });
  if (members.length > 1) return err({ kind: "several-mailboxes", count: members.length });
  return mailbox(only);
}

/** One sentence for a rejection reason, naming what is wrong with the From header. */
export function describeFromProblem(problem: FromProblem): string {
  switch (problem.kind) {
    case "no-from":
      return "the message has no From header";
    case "several-from-headers":
      return `the message has ${problem.count} From headers; Sprout needs exactly one`;
    case "empty":
      return "the From header names no address";
    case "group":
      return "the From header holds a group of addresses; Sprout needs exactly one address";
    case "several-mailboxes":
      return `the From header holds ${problem.count} addresses; Sprout needs exactly one`;
    case "unreadable":
      return `the From header could not be read (${problem.detail})`;
  }
}

type Token =
  | { kind: "atom"; text: string }
  | { kind: "quoted"; text: string }
  | { kind: "literal"; text: string }
  | { kind: "special"; text: Special };

const SPECIALS = ["<", ">", ",", ":", ";", "@"] as const;
type Special = (typeof SPECIALS)[number];

function asSpecial(c: string): Special | undefined {
  return SPECIALS.find((s) => s === c);
}

// Atoms end at whitespace, a special, a quote, a comment or a domain literal. `.` stays
// inside atoms (dot-atoms and obs-phrase both allow it).
function tokenize(value: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value.charAt(i);
    const special = asSpecial(c);
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "(") {
      let depth = 0;
      for (; i < value.length; i++) {
        const d = value.charAt(i);
        if (d === "\\") i++;
        else if (d === "(") depth++;
        else if (d === ")" && --depth === 0) break;
      }
      if (depth !== 0) return "a comment is not closed";
      i++;
    } else if (c === '"') {
      let text = "";
      let closed = false;
      for (i++; i < value.length; i++) {
        const d = value.charAt(i);
        if (d === "\\") text += value.charAt(++i);
        else if (d === '"') {
          closed = true;
          break;
        } else text += d;
      }
      if (!closed) return "a quoted string is not closed";
      tokens.push({ kind: "quoted", text });
      i++;
    } else if (c === "[") {
      const close = value.indexOf("]", i);
      if (close < 0) return "a domain literal is not closed";
      tokens.push({ kind: "literal", text: value.slice(i, close + 1) });
      i = close + 1;
    } else if (c === ")" || c === "]") {
      return `a stray ${c}`;
    } else if (special !== undefined) {
      tokens.push({ kind: "special", text: special });
      i++;
    } else {
      const begin = i;
      while (i < value.length && !isAtomEnd(value.charAt(i))) i++;
      tokens.push({ kind: "atom", text: value.slice(begin, i) });
    }
  }
  return tokens;
}

function isAtomEnd(c: string): boolean {
  return ' \t()"[]'.includes(c) || asSpecial(c) !== undefined;
}

// Splits the list at top-level commas (not inside an angle address), dropping the empty
// members obsolete syntax allows. A top-level colon or semicolon means group syntax.
function splitMembers(tokens: Token[]): Token[][] | string {
  const members: Token[][] = [];
  let current: Token[] = [];
  let inAngle = false;
  for (const t of tokens) {
    if (t.kind === "special") {
      if (t.text === "<") {
        if (inAngle) return "an angle bracket inside an angle address";
        inAngle = true;
      } else if (t.text === ">") {
        if (!inAngle) return "a stray >";
        inAngle = false;
      } else if (!inAngle && (t.text === ":" || t.text === ";")) {
        return "group";
      } else if (!inAngle && t.text === ",") {
        if (current.length > 0) members.push(current);
        current = [];
        continue;
      }
    }
    current.push(t);
  }
  if (inAngle) return "an angle address is not closed";
  if (current.length > 0) members.push(current);
  return members;
}

// name-addr (`[display name] <addr-spec>`) or a bare addr-spec.
function mailbox(tokens: Token[]): Result<FromMailbox, FromProblem> {
  const open = tokens.findIndex((t) => t.kind === "special" && t.text === "<");
  if (open < 0) return addrSpec(tokens);
  const close = tokens.findIndex((t) => t.kind === "special" && t.text === ">");
  if (close !== tokens.length - 1) return unreadable("text after the angle address");
  // The display name is cosmetic: anything but specials other than `@` (written unquoted
  // by some clients as `jane@example.com <jane@example.com>`, and read so by postal-mime).
  for (const t of tokens.slice(0, open)) {
    if (t.kind === "literal") return unreadable("a domain literal in the display name");
  }
  return addrSpec(tokens.slice(open + 1, close));
}

function addrSpec(tokens: Token[]): Result<FromMailbox, FromProblem> {
  const ats = tokens.filter((t) => t.kind === "special" && t.text === "@").length;
  if (ats === 0) return unreadable("no @ in the address");
  if (ats > 1) return unreadable("more than one @ in the address");
  const at = tokens.findIndex((t) => t.kind === "special" && t.text === "@");
  const localTokens = tokens.slice(0, at);
  const domainTokens = tokens.slice(at + 1);
  const local = localPart(localTokens);
  if (local === null) return unreadable("the part before @ is not a local part");
  const [domainToken] = domainTokens;
  if (domainTokens.length !== 1 || domainToken?.kind !== "atom") {
    return unreadable("the part after @ is not a domain name");
  }
  const domain = domainToken.text.toLowerCase();
  if (!isDotAtom(domain)) return unreadable("the part after @ is not a domain name");
  const lowered = local.toLowerCase();
  return ok({ address: `${lowered}@${domain}`, local: lowered, domain });
}

// A dot-atom, or a quoted string (kept quoted so the address stays one address).
function localPart(tokens: Token[]): string | null {
  const [only] = tokens;
  if (tokens.length !== 1 || only === undefined) return null;
  if (only.kind === "atom") return isDotAtom(only.text) ? only.text : null;
  if (only.kind === "quoted") {
    if (only.text.length === 0 || hasControl(only.text, 0x1f)) return null;
    return `"${only.text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  }
  return null;
}

function isDotAtom(text: string): boolean {
  if (text.length === 0 || text.startsWith(".") || text.endsWith(".")) return false;
  return !text.includes("..") && !hasControl(text, 0x20);
}

// True when the text holds a character at or below `highest`, or DEL.
function hasControl(text: string, highest: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= highest || c === 0x7f) return true;
  }
  return false;
}

function unreadable(detail: string): Result<FromMailbox, FromProblem> {
  return err({ kind: "unreadable", detail });
}
