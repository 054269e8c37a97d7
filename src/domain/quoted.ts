// Finds where the new part of a plain-text message ends: quoted history, reply headers,
// forwarded blocks and signatures. Each line is classified on its own with short, anchored
// patterns, and lines longer than any marker are never pattern-matched, so the whole scan is
// linear in the input however hostile it is.

/** How stripQuoted treats signatures and forwarded messages. */
export interface StripOptions {
  stripSignature?: boolean | undefined;
  /** When the message starts with a forward marker, keep the forwarded body (for snippets). */
  unwrapForward?: boolean | undefined;
}

const MAX_MARKER = 300;
const ATTRIBUTION_END = /wrote ?:$/i;
const ON_DATE = /^On\s.*\d/i;
// Word lists are kept as "|"-joined text; every pattern is anchored and bounded.
const WROTE =
  "wrote|schrieb|escribió|a écrit|écrit|ha scritto|schreef|escreveu|skrev|kirjoitti|napisał";
const WROTE_ALONE = new RegExp(`^(?:${WROTE}) ?:$`, "i");
const ORIGINAL =
  "Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|" +
  "Messaggio originale|Oorspronkelijk bericht|Mensagem original";
const REPLY_SEPARATOR = new RegExp(`^(?:-{2,} ?(?:${ORIGINAL}) ?-{2,}|_{20,})$`, "i");
const FORWARDED = "Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado";
const FORWARD_MARKER = new RegExp(
  `^(?:-{2,} ?(?:${FORWARDED}) ?-{2,}|Begin forwarded message:)$`,
  "i",
);
const FROM_LINE = /^\*?(?:From|De|Von|Van|Da)\s?:\*?\s*\S/i;
const HEADERS =
  "Sent|Date|To|Cc|Subject|Envoyé|Gesendet|Datum|An|À|Objet|Betreff|Enviado|Fecha|Para|" +
  "Asunto|Verzonden|Aan|Onderwerp|Inviato|Oggetto|A";
const HEADER_LINE = new RegExp(`^\\*?(?:${HEADERS})\\s?:`, "i");
const MAILERS = "Outlook|Mail for Windows|Yahoo Mail|AOL|Proton ?Mail|Gmail|Spark|BlueMail|Samsung";
const MOBILE_SIGNATURE = new RegExp(
  `^(?:Sent from my \\S.{0,40}|Sent from (?:${MAILERS})\\b.{0,60}|` +
    "Get Outlook for (?:iOS|Android|Mac)\\b.{0,60}|Sent (?:with|via|using) \\S.{0,40})$",
  "i",
);
const SIGN_OFFS =
  "best|best regards|best wishes|all the best|kind regards|warm regards|warmest regards|" +
  "regards|many thanks|thanks|thanks so much|thanks again|thank you|cheers|sincerely|yours|" +
  "yours truly|warmly|talk soon|speak soon|take care";
// "Thanks!" or "Thanks." may be the whole point of a line; a sign-off has a comma or nothing.
const VALEDICTION = new RegExp(`^(?:${SIGN_OFFS}),?$`, "i");

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
const INVISIBLE_ALL = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

type Cut = { index: number; kind: "quote" | "forward" | "signature" };

/**
 * What a line marks, in any of the languages above: the start of a forwarded message
 * ("---------- Forwarded message ---------", "Begin forwarded message:"), of a quoted original
 * ("-----Original Message-----", Outlook's row of underscores), or nothing. The one list of
 * these markers: replies, snippets and forwarded replies all read them here.
 */
export function markerOf(line: string): "forward" | "original" | null {
  return markerOfClean(cleanLine(line));
}

function markerOfClean(t: string): "forward" | "original" | null {
  if (t === "" || t.length > MAX_MARKER) return null;
  if (FORWARD_MARKER.test(t)) return "forward";
  if (REPLY_SEPARATOR.test(t)) return "original";
  return null;
}

/** The value of a "From:" line of a header block ("From: Jane <jane@example.org>", "Von: ..."). */
export function fromLineValue(line: string): string | null {
  const t = cleanLine(line);
  if (t.length > MAX_MARKER || !FROM_LINE.test(t)) return null;
  return t.replace(/^\*?[^:]*:\*?\s*/, "");
}

/** Splits on CRLF, lone CR or LF, as mail from any platform may use any of them. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n?|\n/);
}

/** A trimmed line with NBSP, zero-width and other invisible padding also removed. */
export function cleanLine(line: string): string {
  const t = line.trim();
  return INVISIBLE.test(t) ? t.replace(INVISIBLE_ALL, "").trim() : t;
}

// Outlook's "From: … / Sent: … / To: … / Subject: …" block, which it does not quote with ">".
function isHeaderBlock(lines: string[], at: number): boolean {
  let headers = 0;
  for (let i = at + 1; i < lines.length && i <= at + 6; i++) {
    const t = cleanLine(lines[i] ?? "");
    if (t === "") break;
    if (t.length <= MAX_MARKER && HEADER_LINE.test(t)) headers++;
  }
  return headers >= 2;
}

// The attribution above a ">" quote may be localized ("Am … schrieb Jane <jane@…>:"), so any
// line ending with ":" right above the quote belongs to it, plus the line Gmail wrapped off it.
function quoteStart(lines: string[], from: number, at: number): number {
  let j = at - 1;
  while (j >= from && cleanLine(lines[j] ?? "") === "") j--;
  const t = cleanLine(lines[j] ?? "");
  if (j < from || t.length > MAX_MARKER || !t.endsWith(":")) return at;
  const prev = j > from ? cleanLine(lines[j - 1] ?? "") : "";
  const wrapped = prev !== "" && (prev.endsWith("<") || t.startsWith("<") || WROTE_ALONE.test(t));
  return wrapped ? j - 1 : j;
}

function findCut(lines: string[], from: number, stripSignature: boolean): Cut | undefined {
  for (let i = from; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const t = cleanLine(raw);
    if (t === "") continue;
    if (t.startsWith(">")) return { index: quoteStart(lines, from, i), kind: "quote" };
    if (t.length > MAX_MARKER) continue;
    const marker = markerOfClean(t);
    if (marker !== null) return { index: i, kind: marker === "forward" ? "forward" : "quote" };
    if (t.endsWith(":") && ATTRIBUTION_END.test(t) && /[\d@]/.test(t)) {
      return { index: i, kind: "quote" };
    }
    // Gmail wraps a long attribution: "On Tue, … Jane Doe <" / "jane@example.com> wrote:".
    if (ON_DATE.test(t) && !/[.!?]$/.test(t)) {
      const next = cleanLine(lines[i + 1] ?? "");
      if (next.length <= MAX_MARKER && ATTRIBUTION_END.test(next)) {
        return { index: i, kind: "quote" };
      }
    }
    if (FROM_LINE.test(t) && isHeaderBlock(lines, i)) return { index: i, kind: "quote" };
    if (stripSignature && (t === "--" || MOBILE_SIGNATURE.test(t))) {
      return { index: i, kind: "signature" };
    }
  }
  return undefined;
}

// Skips the header block under a forward marker ("From: …", "Date: …", up to a blank line).
function skipForwardHeaders(lines: string[], at: number): number {
  let i = at;
  while (i < lines.length && cleanLine(lines[i] ?? "") === "") i++;
  const first = cleanLine(lines[i] ?? "");
  if (!FROM_LINE.test(first) && !HEADER_LINE.test(first)) return i;
  while (i < lines.length && cleanLine(lines[i] ?? "") !== "") i++;
  return i;
}

// A closing like "Best," followed by at most a few short lines (name, title, phone) is a
// hand-written signature. Only used for signatures, and never when it would leave nothing.
function dropValediction(lines: string[]): string[] {
  let tail = 0;
  for (let i = lines.length - 1; i > 0 && lines.length - i <= 12; i--) {
    const t = cleanLine(lines[i] ?? "");
    if (t === "") continue;
    if (VALEDICTION.test(t)) {
      const above = lines.slice(0, i).some((l) => cleanLine(l) !== "");
      if (above) return lines.slice(0, i);
    }
    tail++;
    if (tail > 5 || t.length > 60 || t.endsWith("?")) break;
  }
  return lines;
}

function trimBlankLines(lines: string[]): string[] {
  let s = 0;
  let e = lines.length;
  while (s < e && cleanLine(lines[s] ?? "") === "") s++;
  while (e > s && cleanLine(lines[e - 1] ?? "") === "") e--;
  return lines.slice(s, e);
}

/** The new content of a plain-text body, cut at the first quote, reply header or signature. */
export function stripQuoted(text: string, opts: StripOptions = {}): string {
  const lines = splitLines(text);
  const stripSignature = opts.stripSignature === true;
  let start = 0;
  let end = lines.length;
  for (;;) {
    const cut = findCut(lines, start, stripSignature);
    if (cut === undefined) break;
    const nothingAbove = lines.slice(start, cut.index).every((l) => cleanLine(l) === "");
    if (cut.kind === "forward" && opts.unwrapForward === true && nothingAbove) {
      start = skipForwardHeaders(lines, cut.index + 1);
      continue;
    }
    end = cut.index;
    break;
  }
  let body = trimBlankLines(lines.slice(start, end));
  if (stripSignature) body = trimBlankLines(dropValediction(body));
  return body.join("\n");
}

/**
 * Removes quoted history (and, when asked, the signature) from a plain-text body; returns the
 * new content only.
 */
export function stripQuotedHistory(text: string, opts?: { stripSignature?: boolean }): string {
  return stripQuoted(text, { stripSignature: opts?.stripSignature === true, unwrapForward: true });
}
