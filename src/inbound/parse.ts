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

/** Parses raw RFC 5322 bytes with postal-mime and checks the sender is unambiguous. */
export async function parseInbound(bytes: Uint8Array): Promise<Result<InboundMessage, ParseError>> {
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

/** A usable address: one @, something on both sides, no spaces or encoded words. */
function isPlainAddress(address: string): boolean {
  return /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(address) && !address.includes("=?");
}

/** Message-IDs from a header value (`<a@b> <c@d>`), without angle brackets. */
export function messageIds(value: string): string[] {
  const ids = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1] ?? "");
  if (ids.length === 0 && /^[^\s<>]+@[^\s<>]+$/.test(value.trim())) ids.push(value.trim());
  return ids.filter((id) => id !== "").slice(0, 100);
}
