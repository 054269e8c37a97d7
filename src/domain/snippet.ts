// What Sprout keeps of a message: a short snippet of an outreach email, and the line a user
// typed when answering a reminder. Pure functions over already-decoded MIME parts.
import { attrValue, htmlToText, tokenizeHtml } from "./html-text";
import { cleanLine, splitLines, stripQuoted } from "./quoted";

export { htmlToText } from "./html-text";
export { stripQuotedHistory } from "./quoted";

/** Message parts as a MIME parser (postal-mime) returns them. */
export interface MessageParts {
  text?: string | undefined;
  html?: string | undefined;
}

// Containers mail clients wrap quoted history in (Gmail, Thunderbird, Yahoo, Proton).
const QUOTE_CLASSES = [
  "gmail_quote",
  "gmail_quote_container",
  "moz-cite-prefix",
  "moz-forward-container",
  "yahoo_quoted",
  "protonmail_quote",
];
// Outlook web / new Outlook / Outlook for Mac and mobile ("x_" when quoted once more).
const QUOTE_IDS = [
  "appendonsend",
  "divrplyfwdmsg",
  "olk_src_body_section",
  "mail-editor-reference-message-container",
];
const SIGNATURE_CLASSES = ["gmail_signature", "gmail_signature_prefix", "moz-signature"];
const SIGNATURE_IDS = ["signature", "ms-outlook-mobile-signature"];

function startsQuote(name: string, attrs: string): boolean {
  const classes = (attrValue(attrs, "class") ?? "").toLowerCase().split(/\s+/);
  const id = (attrValue(attrs, "id") ?? "").toLowerCase().replace(/^(?:x_)+/, "");
  if (classes.some((c) => QUOTE_CLASSES.includes(c) || SIGNATURE_CLASSES.includes(c))) {
    return true;
  }
  if (QUOTE_IDS.includes(id) || SIGNATURE_IDS.includes(id)) return true;
  // Apple Mail and Thunderbird quote inside <blockquote type="cite">.
  if (name === "blockquote") return (attrValue(attrs, "type") ?? "").toLowerCase() === "cite";
  // Classic Outlook separates the reply header with a top border instead of any marker.
  if (name === "div") {
    const style = (attrValue(attrs, "style") ?? "").toLowerCase().replace(/\s+/g, "");
    return style.includes("border-top:solid");
  }
  return false;
}

/** The HTML before the first quote or signature container; the rest is dropped unparsed. */
function cutQuotedHtml(html: string): string {
  for (const token of tokenizeHtml(html)) {
    if (token.kind === "tag" && !token.closing && startsQuote(token.name, token.attrs)) {
      return html.slice(0, token.start);
    }
  }
  return html;
}

function isBlank(text: string | undefined): boolean {
  return text === undefined || cleanLine(text) === "";
}

// Sprout keeps at most 500 characters of a body, or one line of a reply, and both come from
// its top: reading a bounded head keeps a 25 MiB message as cheap as a 64 KB one (SPEC 9:
// no input takes more than 50 ms). HTML gets more room for the <head> and styles Outlook
// puts before the first word.
const MAX_TEXT_READ = 64 * 1024;
const MAX_HTML_READ = 128 * 1024;
// A reply's first line sits at its top: 8 KB of plain text holds it (and the quote marker
// under it) unless 8 KB of blank lines come first, while a hostile 64 KB of one-letter lines
// cost the reply's scan 12 ms. HTML keeps its room, for Outlook's <head>.
const MAX_REPLY_TEXT_READ = 8 * 1024;

// New content of a message, quoted history and signature removed. Snippets unwrap a message
// that is only a forward (its body is the interesting part); replies never do, since a
// forwarded reminder is not an answer to it.
function newContent(input: MessageParts, snippet: boolean): string {
  const opts = { stripSignature: true, unwrapForward: snippet };
  const text = input.text?.slice(0, snippet ? MAX_TEXT_READ : MAX_REPLY_TEXT_READ);
  if (text !== undefined && !isBlank(text)) return stripQuoted(text, opts);
  const html = input.html?.slice(0, MAX_HTML_READ) ?? "";
  if (isBlank(html)) return "";
  const own = stripQuoted(htmlToText(cutQuotedHtml(html)), opts);
  if (own !== "" || !snippet) return own;
  // Everything sat in a quote container, as a Gmail forward does: judge it as text instead.
  return stripQuoted(htmlToText(html), opts);
}

function truncate(flat: string, max: number): string {
  if (flat.length <= max) return flat;
  const budget = max - 1;
  const space = flat.lastIndexOf(" ", budget);
  // Prefer a word boundary, unless that throws away most of the room (one huge "word").
  let head = space >= budget / 2 ? flat.slice(0, space) : flat.slice(0, budget);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  head = head.replace(/[\s,;:\u2013\u2014-]+$/, "");
  return `${head}…`;
}

/**
 * At most `max` (default 500) characters of the new plain text of a message, quoted history and
 * signature removed, whitespace collapsed; cut at a word boundary with "…" when longer.
 */
export function makeSnippet(input: MessageParts, max = 500): string {
  const limit = Number.isFinite(max) ? Math.floor(max) : 500;
  if (limit < 1) return "";
  const flat = newContent(input, true)
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return truncate(flat, limit);
}

/**
 * The first non-empty line above the quoted history of a reply (what a user typed), trimmed;
 * "" when none.
 */
export function firstReplyLine(input: MessageParts): string {
  for (const line of splitLines(newContent(input, false))) {
    const t = cleanLine(line).replace(/\s+/g, " ");
    if (t !== "") return t;
  }
  return "";
}
