// A small, tolerant HTML scanner and HTML-to-text converter. Workers have no DOM, and mail
// HTML is often malformed, so this never throws and every loop only moves forward (linear).

/** One piece of an HTML document: a run of text or a start/end tag (comments are skipped). */
export type HtmlToken =
  | { kind: "text"; text: string }
  | { kind: "tag"; name: string; closing: boolean; attrs: string; start: number };

// Elements whose content is not markup; it is skipped whole so a "<" inside a script or a
// style sheet cannot be mistaken for a tag.
const RAW_TEXT = new Set(["script", "style", "title", "textarea", "xmp", "noscript"]);
const rawEnd = new Map<string, RegExp>();

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isNameChar(code: number): boolean {
  // Letters, digits, ":" (Outlook's <o:p>), "-" and "_".
  return isNameStart(code) || (code >= 48 && code <= 58) || code === 45 || code === 95;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

/** Splits HTML into text runs and tags, skipping comments, declarations and raw-text bodies. */
export function* tokenizeHtml(html: string): Generator<HtmlToken> {
  const n = html.length;
  // `i` is where the pending text starts; `from` is where to look for the next "<".
  let i = 0;
  let from = 0;
  while (from < n) {
    const lt = html.indexOf("<", from);
    if (lt < 0) break;
    const next = html.charCodeAt(lt + 1);
    const closing = next === 47; // "/"
    const nameAt = closing ? lt + 2 : lt + 1;
    if (next === 33 || next === 63 || (closing && !isNameStart(html.charCodeAt(nameAt)))) {
      // Comment, <!DOCTYPE>, <![if mso]>, <?xml?> or a bogus "</ x>": never text.
      if (lt > i) yield { kind: "text", text: html.slice(i, lt) };
      const isComment = html.startsWith("<!--", lt);
      const end = isComment ? html.indexOf("-->", lt + 4) : html.indexOf(">", lt + 2);
      i = end < 0 ? n : end + (isComment ? 3 : 1);
      from = i;
      continue;
    }
    if (!isNameStart(html.charCodeAt(nameAt))) {
      // A lone "<" as in "a < b" is text: it stays in the pending run (one token for a
      // million of them, not a million tokens).
      from = lt + 1;
      continue;
    }
    if (lt > i) yield { kind: "text", text: html.slice(i, lt) };
    let j = nameAt;
    while (j < n && isNameChar(html.charCodeAt(j))) j++;
    const name = html.slice(nameAt, j).toLowerCase();
    const attrsAt = j;
    // Find the ">" that ends the tag; quoted attribute values may contain ">".
    let quote = 0;
    let afterEquals = false;
    for (; j < n; j++) {
      const c = html.charCodeAt(j);
      if (quote !== 0) {
        if (c === quote) quote = 0;
        continue;
      }
      if (c === 62) break;
      if ((c === 34 || c === 39) && afterEquals) quote = c;
      if (!isSpace(c)) afterEquals = c === 61;
    }
    // An unterminated tag swallows the rest of the document, as in a browser.
    if (j >= n) return;
    yield { kind: "tag", name, closing, attrs: html.slice(attrsAt, j), start: lt };
    i = j + 1;
    if (!closing && RAW_TEXT.has(name)) {
      let re = rawEnd.get(name);
      if (re === undefined) {
        re = new RegExp(`</${name}[\\s/>]`, "gi");
        rawEnd.set(name, re);
      }
      re.lastIndex = i;
      const m = re.exec(html);
      i = m === null ? n : m.index;
    }
    from = i;
  }
  if (i < n) yield { kind: "text", text: html.slice(i) };
}

/** The value of attribute `name` in a tag's raw attribute text, or undefined. */
export function attrValue(attrs: string, name: string): string | undefined {
  const re = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (let m = re.exec(attrs); m !== null; m = re.exec(attrs)) {
    if (m[1]?.toLowerCase() === name) return m[2] ?? m[3] ?? m[4] ?? "";
  }
  return undefined;
}

// Maps, not object literals: "&constructor;" must not find Object.prototype members.
// biome-ignore format: a compact table reads better than one entity per line
const NAMED = new Map(Object.entries({
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", ensp: " ", emsp: " ",
  thinsp: " ", zwnj: "", zwj: "", lrm: "", rlm: "", shy: "", ndash: "–", mdash: "—",
  lsquo: "‘", rsquo: "’", sbquo: "‚", ldquo: "“", rdquo: "”", bdquo: "„", hellip: "…",
  bull: "•", middot: "·", copy: "©", reg: "®", trade: "™", deg: "°", plusmn: "±",
  times: "×", divide: "÷", euro: "€", pound: "£", yen: "¥", cent: "¢", sect: "§",
  para: "¶", laquo: "«", raquo: "»", iexcl: "¡", iquest: "¿", frac12: "½", frac14: "¼",
  frac34: "¾", szlig: "ß", oslash: "ø", Oslash: "Ø", aelig: "æ", AElig: "Æ", eth: "ð",
  thorn: "þ", larr: "←", rarr: "→", hearts: "♥", check: "✓",
}));
// Accented Latin letters (&eacute;, &Uuml;, …) are composed instead of listed one by one.
// biome-ignore format: a compact table reads better than one entity per line
const MARKS = new Map(Object.entries({
  grave: "\u0300", acute: "\u0301", circ: "\u0302", tilde: "\u0303", uml: "\u0308",
  ring: "\u030a", cedil: "\u0327",
}));
// Browsers read &#128;–&#159; as Windows-1252, and Outlook-era HTML relies on that.
const CP1252 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function fromCodePoint(code: number): string {
  if (code >= 0x80 && code <= 0x9f) return CP1252.charAt(code - 0x80);
  if (code === 9 || code === 10 || code === 13) return String.fromCharCode(code);
  if (code < 0x20 || code === 0x7f) return "";
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
  return String.fromCodePoint(code);
}

function decodeEntity(whole: string, body: string): string {
  if (body.charCodeAt(0) === 35) {
    const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
    return fromCodePoint(Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10));
  }
  const named = NAMED.get(body) ?? NAMED.get(body.toLowerCase());
  if (named !== undefined) return named;
  const mark = MARKS.get(body.slice(1));
  if (mark === undefined) return whole;
  const composed = (body.charAt(0) + mark).normalize("NFC");
  return composed.length === 1 ? composed : whole;
}

/** Decodes named, decimal and hexadecimal character references; unknown ones stay as typed. */
function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g,
    decodeEntity,
  );
}

// Elements that start and end a line of their own.
const BLOCK = new Set(
  [
    "address article aside center dd details dialog div dl dt fieldset figcaption figure",
    "footer form header hr li main nav ol section summary table tbody tfoot thead tr ul caption",
  ]
    .join(" ")
    .split(" "),
);
// Elements rendered with a blank line around them.
const PARAGRAPH = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "hr"]);

/** Collects output lines, each remembering how deep inside <blockquote> it started. */
class LineWriter {
  private readonly lines: { depth: number; text: string; blank: boolean }[] = [];
  // The current line as pieces: testing a growing string's end would flatten it every time.
  private parts: string[] = [];
  private endsWithSpace = false;
  private lineDepth = 0;
  depth = 0;

  text(s: string, pre: boolean): void {
    if (pre) {
      s.split(/\r\n?|\n/).forEach((part, k) => {
        if (k > 0) this.newline();
        this.append(part);
      });
      return;
    }
    // HTML collapses ASCII whitespace; NBSP is not whitespace here and survives until finish.
    let t = s.replace(/[ \t\n\r\f]+/g, " ");
    if ((this.parts.length === 0 || this.endsWithSpace) && t.startsWith(" ")) t = t.slice(1);
    this.append(t);
  }

  private append(t: string): void {
    if (t === "") return;
    if (this.parts.length === 0) this.lineDepth = this.depth;
    this.parts.push(t);
    this.endsWithSpace = t.endsWith(" ");
  }

  newline(): void {
    const text = this.parts.join("");
    const depth = this.parts.length === 0 ? this.depth : this.lineDepth;
    this.lines.push({ depth, text, blank: text.trim() === "" });
    this.parts = [];
    this.endsWithSpace = false;
  }

  /** Ends the current line unless nothing was written to it. */
  block(): void {
    if (this.parts.length > 0) this.newline();
  }

  /** Ends the current line and leaves one blank line. */
  paragraph(): void {
    this.block();
    const last = this.lines[this.lines.length - 1];
    if (last !== undefined && !last.blank) this.newline();
  }

  finish(): string {
    this.block();
    const out: string[] = [];
    let prevBlank = true;
    for (const { depth, text } of this.lines) {
      // Leading NBSPs are deliberate indentation (and <pre> keeps its own), so only trimEnd.
      const body = text.replace(/\u00a0/g, " ").trimEnd();
      const blank = body === "";
      // Runs of blank lines collapse to one, and leading blank lines disappear.
      if (blank && prevBlank) continue;
      prevBlank = blank;
      // Capped so hostile nesting cannot blow the output up quadratically.
      const prefix = ">".repeat(Math.min(depth, 10));
      out.push(blank ? prefix : prefix === "" ? body : `${prefix} ${body}`);
    }
    while (out.length > 0 && (out[out.length - 1] ?? "").replace(/>/g, "") === "") out.pop();
    return out.join("\n");
  }
}

// Tags that may appear inside <head>; any other tag means the head was never closed.
const HEAD_TAGS = new Set(["meta", "link", "base", "title", "style", "script", "noscript", "xml"]);

/**
 * Turns HTML into readable plain text (drop <style>/<script>/<head>, blockquotes kept as "> "
 * lines, <br>/<p>/<div> to newlines, decode entities incl. numeric, collapse whitespace).
 */
export function htmlToText(html: string): string {
  const out = new LineWriter();
  let inHead = false;
  let pre = 0;
  let msoParagraph = false;
  for (const token of tokenizeHtml(html)) {
    if (token.kind === "text") {
      if (!inHead) out.text(decodeEntities(token.text), pre > 0);
      continue;
    }
    const { name, closing } = token;
    if (name === "head" || name === "body") {
      inHead = name === "head" && !closing;
      continue;
    }
    if (inHead && !closing && !HEAD_TAGS.has(name) && !name.includes(":")) inHead = false;
    if (name === "br") out.newline();
    else if (name === "blockquote") {
      out.block();
      out.depth = Math.max(0, out.depth + (closing ? -1 : 1));
    } else if (name === "pre") {
      out.block();
      pre = Math.max(0, pre + (closing ? -1 : 1));
    } else if (name === "p") {
      // Word's stylesheet gives MsoNormal paragraphs no margin; Outlook spaces with empty ones.
      if (!closing) msoParagraph = /msonormal/i.test(token.attrs);
      if (msoParagraph) out.block();
      else out.paragraph();
    } else if (PARAGRAPH.has(name)) out.paragraph();
    else if (BLOCK.has(name)) {
      out.block();
      if (name === "li" && !closing) out.text("- ", false);
    } else if ((name === "td" || name === "th") && !closing) out.text(" ", false);
  }
  return out.finish();
}
