import PostalMime, { type Address } from "postal-mime";
import { err, ok, type Result } from "../domain/result";

/** A mailbox as Sprout keeps it: display name and lower-cased address. */
interface Mailbox {
  name: string;
  address: string;
}

/** The parts of an inbound message Sprout uses; nothing else of the body is kept. */
export interface InboundMessage {
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  subject: string | null;
  /** Without angle brackets; null when the message had none. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  date: string | null;
  text: string | undefined;
  html: string | undefined;
  autoSubmitted: string | null;
  precedence: string | null;
  listId: string | null;
  listUnsubscribe: string | null;
  /** The top-level media type, lower-cased (multipart/report marks bounces and complaints). */
  contentType: string | null;
  /** Outlook's and others' markers of automatic replies. */
  autoReplyHeaders: string[];
}

export type ParseError =
  | { kind: "unparseable"; detail: string }
  | { kind: "no-from" }
  | { kind: "several-from" }
  | { kind: "bad-from"; value: string };

/**
 * Header sections larger than this are refused before postal-mime reads them. Real ones are
 * a few KB (a long ARC chain, a Cc of 500 people); postal-mime spends about 0.15 ms per KB
 * of addresses, so 20,000 recipients (700 KB) cost 100 ms, twice the budget of SPEC 9.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/** True when the header section, its last line break included, is longer than `limit` bytes. */
function headerTooLarge(bytes: Uint8Array, limit: number): boolean {
  const end = Math.min(bytes.length, limit);
  for (let i = 0; i < end; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a)) return false;
  }
  return bytes.length > limit;
}

/** The refusal of a message whose header section is over MAX_HEADER_BYTES, or null. */
export function headerSizeError(bytes: Uint8Array): ParseError | null {
  if (!headerTooLarge(bytes, MAX_HEADER_BYTES)) return null;
  return { kind: "unparseable", detail: `headers larger than ${MAX_HEADER_BYTES} bytes` };
}

/** Parses raw RFC 5322 bytes with postal-mime and checks the sender is unambiguous. */
export async function parseInbound(bytes: Uint8Array): Promise<Result<InboundMessage, ParseError>> {
  const tooLarge = headerSizeError(bytes);
  if (tooLarge !== null) return err(tooLarge);
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(bytes, {
      attachmentEncoding: "arraybuffer",
      maxNestingDepth: 64,
    });
  } catch (e) {
    return err({ kind: "unparseable", detail: e instanceof Error ? e.message : String(e) });
  }
  const header = (name: string): string | null =>
    email.headers.find((h) => h.key === name)?.value.trim() ?? null;
  const fromHeaders = email.headers.filter((h) => h.key === "from");
  if (fromHeaders.length === 0) return err({ kind: "no-from" });
  if (fromHeaders.length > 1) return err({ kind: "several-from" });
  const fromList = mailboxes(email.from === undefined ? [] : [email.from]);
  const from = fromList[0];
  if (fromList.length !== 1 || from === undefined || !isPlainAddress(from.address)) {
    return err({ kind: "bad-from", value: fromHeaders[0]?.value.slice(0, 200) ?? "" });
  }
  const autoReplyHeaders = ["x-autoreply", "x-autorespond"].filter((n) => header(n) !== null);
  return ok({
    from,
    to: mailboxes(email.to ?? []),
    cc: mailboxes(email.cc ?? []),
    subject: email.subject?.trim() || null,
    messageId: messageIds(email.messageId ?? "")[0] ?? null,
    inReplyTo: messageIds(email.inReplyTo ?? ""),
    references: messageIds(email.references ?? ""),
    date: email.date ?? null,
    text: email.text,
    html: email.html,
    autoSubmitted: header("auto-submitted"),
    precedence: header("precedence"),
    listId: header("list-id"),
    listUnsubscribe: header("list-unsubscribe"),
    contentType: header("content-type")?.split(";")[0]?.trim().toLowerCase() ?? null,
    autoReplyHeaders,
  });
}

/** Flattens address groups and lower-cases addresses, dropping entries with no address. */
function mailboxes(list: Address[]): Mailbox[] {
  const out: Mailbox[] = [];
  for (const entry of list) {
    const members = entry.group ?? [entry];
    for (const m of members) {
      const address = (m.address ?? "").trim().toLowerCase();
      if (address !== "") out.push({ name: m.name.trim(), address });
    }
  }
  return out;
}

/** The longest address SMTP carries (RFC 5321: a 256-octet path, minus its brackets). */
const MAX_ADDRESS = 254;

/** A usable address: one @, something on both sides, no spaces or encoded words. */
export function isPlainAddress(address: string): boolean {
  // The length check comes first: the pattern backtracks on a long run of dots.
  if (address.length > MAX_ADDRESS) return false;
  return /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(address) && !address.includes("=?");
}

/** At most this many Message-IDs are read from one header (60,000 would cost a lookup each). */
const MAX_IDS = 100;
/** A Message-ID longer than a header line may be (RFC 5322: 998) is no Message-ID. */
const MAX_ID_LENGTH = 998;

/** Message-IDs from a header value (`<a@b> <c@d>`), without angle brackets; at most 100. */
export function messageIds(value: string): string[] {
  const ids: string[] = [];
  for (const m of value.matchAll(/<([^<>\s]+)>/g)) {
    const id = m[1] ?? "";
    if (id !== "" && id.length <= MAX_ID_LENGTH) ids.push(id);
    if (ids.length === MAX_IDS) return ids;
  }
  // A bare id without brackets. "@" is excluded before the first one so the pattern cannot
  // backtrack over every "@" of a hostile value (quadratic on "@@@...@ ").
  const bare = value.trim();
  if (ids.length === 0 && bare.length <= MAX_ID_LENGTH && /^[^\s<>@]+@[^\s<>]+$/.test(bare)) {
    ids.push(bare);
  }
  return ids;
}
