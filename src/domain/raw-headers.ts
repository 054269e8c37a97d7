// The header section of a raw message, read the way postal-mime reads it (lines end at LF,
// trailing CRs dropped, only SP and HTAB continue a field, the first empty line ends the
// section), so the checks that run on raw headers and the parser see the same fields.
// Linear in the input: no regular expression backtracks, folded lines are joined once.

/** One header field as it stands in the raw message. */
export interface RawHeader {
  /** The field name as written, without surrounding whitespace. */
  name: string;
  /** The name lower-cased, for comparisons. */
  key: string;
  /** The field body unfolded (line breaks removed, folding whitespace kept), trimmed. */
  value: string;
}

/** The bytes of the header section: everything before the first empty line, as text. */
export function headerText(bytes: Uint8Array): string {
  let lineStart = 0;
  let blank = true;
  let end = bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x0a) {
      if (blank) {
        end = lineStart;
        break;
      }
      lineStart = i + 1;
      blank = true;
    } else if (byte !== 0x0d) {
      blank = false;
    }
  }
  // Header bytes outside UTF-8 become U+FFFD; structure (CR, LF, colon) is ASCII and survives.
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/** The header fields of a raw message (or of its header text), in the order they appear. */
export function readHeaders(text: string): RawHeader[] {
  const headers: RawHeader[] = [];
  let parts: string[] | null = null;
  let start = 0;
  for (;;) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    let stop = end;
    while (stop > start && text.charCodeAt(stop - 1) === 0x0d) stop--;
    if (stop === start) break; // the first empty line (or the end of the text)
    const line = text.slice(start, stop);
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // A continuation before any field belongs to nothing and is dropped.
      parts?.push(line);
    } else {
      if (parts !== null) pushField(headers, parts);
      parts = [line];
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  if (parts !== null) pushField(headers, parts);
  return headers;
}

/** The fields whose name is `name` (any case), in order. */
export function headersNamed(headers: readonly RawHeader[], name: string): RawHeader[] {
  const key = name.toLowerCase();
  return headers.filter((h) => h.key === key);
}

function pushField(headers: RawHeader[], parts: string[]): void {
  const unfolded = parts.length === 1 ? (parts[0] ?? "") : parts.join("");
  const colon = unfolded.indexOf(":");
  if (colon < 0) return; // not a field ("From sender" mbox lines, garbage)
  const name = trimWsp(unfolded.slice(0, colon));
  if (!isFieldName(name)) return;
  // A bare CR left inside a line is not a line break; it must not survive into a value.
  const value = trimWsp(unfolded.slice(colon + 1).replaceAll("\r", " "));
  headers.push({ name, key: name.toLowerCase(), value });
}

// RFC 5322 field-name: printable US-ASCII except colon (obsolete syntax allows WSP before it).
function isFieldName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWsp(s.charCodeAt(a))) a++;
  while (b > a && isWsp(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
