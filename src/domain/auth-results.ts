// RFC 8601 Authentication-Results and RFC 8617 ARC-Authentication-Results, read properly
// enough to trust: comments and quoted strings are opaque (a `dmarc=pass` inside either is
// text, not a result), `;` separates results only outside them, values may carry `=` and
// `@` (`smtp.mailfrom=bounces+x=y@example.com`), and anything that does not fit the grammar
// makes the whole stamp unreadable rather than letting the rest of it count.
// One pass over the text with one token of lookahead: linear time, memory bounded by the
// results kept, whatever the input.

import { err, ok, type Result } from "./result";

/** One `ptype.property=value` of a result, ptype and property lower-cased. */
export interface AuthProperty {
  ptype: string;
  property: string;
  value: string;
}

/** One result: `method=result`, its optional reason and its properties. */
export interface AuthResult {
  /** Lower-cased, without a `/version`. */
  method: string;
  /** Lower-cased: pass, fail, none, softfail, ... */
  result: string;
  reason: string | null;
  properties: AuthProperty[];
}

/** A parsed stamp: who wrote it and what it found. */
export interface AuthStamp {
  /** The ARC instance (`i=`) for ARC-Authentication-Results, null for the plain header. */
  instance: number | null;
  /** As written (case kept); compare case-insensitively. */
  authservId: string;
  results: AuthResult[];
}

/** Parses the value of an Authentication-Results (or, with `arc`, ARC-...) header. */
export function parseAuthResults(value: string, arc: boolean): Result<AuthStamp, string> {
  const lexer = new Lexer(value);
  let instance: number | null = null;
  if (arc) {
    const i = lexer.next();
    const eq = lexer.next();
    const n = lexer.next();
    if (i?.kind !== "word" || i.text.toLowerCase() !== "i" || eq?.kind !== "=") {
      return err(lexer.error ?? "an ARC stamp must start with i=");
    }
    if (n?.kind !== "word" || !/^[0-9]{1,2}$/.test(n.text)) {
      return err(lexer.error ?? "the ARC instance is not a number from 1 to 99");
    }
    instance = Number(n.text);
    if (lexer.next()?.kind !== ";") return err(lexer.error ?? "no ; after the ARC instance");
  }
  const id = lexer.next();
  if (id?.kind !== "word" && id?.kind !== "quoted") {
    return err(lexer.error ?? "the stamp does not start with an authserv-id");
  }
  let after = lexer.next();
  if (after?.kind === "word" && /^[0-9]+$/.test(after.text)) after = lexer.next(); // version
  if (after !== null && after.kind !== ";") {
    return err(lexer.error ?? `unexpected text after the authserv-id ${id.text}`);
  }
  const results: AuthResult[] = [];
  if (after !== null) {
    const read = readResults(lexer, results);
    if (read !== null) return err(lexer.error ?? read);
  }
  if (lexer.error !== null) return err(lexer.error);
  return ok({ instance, authservId: id.text, results });
}

/** The value of `ptype.property` on a result (first occurrence), or null. */
export function propertyOf(result: AuthResult, key: string): string | null {
  const dot = key.indexOf(".");
  const ptype = key.slice(0, dot).toLowerCase();
  const property = key.slice(dot + 1).toLowerCase();
  return result.properties.find((p) => p.ptype === ptype && p.property === property)?.value ?? null;
}

// Reads `resinfo *(";" resinfo)` (or the lone `none`) after the authserv-id's `;`.
function readResults(lexer: Lexer, results: AuthResult[]): string | null {
  let first = true;
  for (;;) {
    let token = lexer.next();
    while (token?.kind === ";") token = lexer.next(); // empty members carry nothing
    if (token === null) return null;
    if (token.kind !== "word") return `a result does not start with a method (${token.text})`;
    if (first && token.text.toLowerCase() === "none" && lexer.peek() === null) return null;
    first = false;
    const eq = lexer.next();
    const result = lexer.next();
    if (eq?.kind !== "=" || result?.kind !== "word") {
      return `the result of ${token.text} is not method=result`;
    }
    const entry: AuthResult = {
      method: (token.text.split("/")[0] ?? "").toLowerCase(),
      result: result.text.toLowerCase(),
      reason: null,
      properties: [],
    };
    for (;;) {
      const key = lexer.next();
      if (key === null || key.kind === ";") break;
      if (key.kind !== "word") return `unexpected ${key.text} in the ${entry.method} result`;
      if (lexer.next()?.kind !== "=") return `${key.text} in the ${entry.method} result has no =`;
      const value = readValue(lexer);
      if (value === null) return `${key.text} in the ${entry.method} result has no value`;
      const name = key.text.toLowerCase();
      if (name === "reason") {
        entry.reason = value;
        continue;
      }
      const dot = name.indexOf(".");
      entry.properties.push({
        ptype: dot < 0 ? "" : name.slice(0, dot),
        property: dot < 0 ? name : name.slice(dot + 1),
        value,
      });
    }
    results.push(entry);
  }
}

// A property value runs over adjacent pieces: `"local part"@example.com`, `a=b@c`, `abc==`.
function readValue(lexer: Lexer): string | null {
  const first = lexer.next();
  if (first === null || (first.kind !== "word" && first.kind !== "quoted")) return null;
  let value = first.text;
  for (;;) {
    const next = lexer.peek();
    if (next === null || next.gap || next.kind === ";") return value;
    lexer.next();
    value += next.text;
  }
}

type Token = { kind: "word" | "quoted" | "=" | ";"; text: string; gap: boolean };

// Splits the value into words, quoted strings, `=` and `;`, skipping whitespace and
// (nested) comments. `gap` says whether whitespace or a comment came before the token.
// An unclosed comment or quoted string sets `error` and ends the tokens.
class Lexer {
  error: string | null = null;
  private pos = 0;
  private ahead: Token | null | undefined = undefined;

  constructor(private readonly text: string) {}

  peek(): Token | null {
    if (this.ahead === undefined) this.ahead = this.read();
    return this.ahead;
  }

  next(): Token | null {
    const token = this.peek();
    this.ahead = undefined;
    return token;
  }

  private read(): Token | null {
    const text = this.text;
    let gap = false;
    while (this.pos < text.length && this.error === null) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) {
        gap = true;
        this.pos++;
      } else if (c === 0x28 /* ( */) {
        gap = true;
        this.skipComment();
      } else {
        break;
      }
    }
    if (this.error !== null || this.pos >= text.length) return null;
    const c = text.charAt(this.pos);
    if (c === ";" || c === "=") {
      this.pos++;
      return { kind: c, text: c, gap };
    }
    if (c === '"') return this.quoted(gap);
    if (c === ")") {
      this.error = "a ) without its (";
      return null;
    }
    const start = this.pos;
    while (this.pos < text.length && !WORD_END.has(text.charAt(this.pos))) this.pos++;
    return { kind: "word", text: text.slice(start, this.pos), gap };
  }

  private skipComment(): void {
    let depth = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text.charAt(this.pos);
      if (c === "\\") this.pos++;
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) {
        this.pos++;
        return;
      }
    }
    this.error = "a comment is not closed";
  }

  private quoted(gap: boolean): Token | null {
    const parts: string[] = [];
    let start = ++this.pos;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text.charAt(this.pos);
      if (c === "\\") {
        parts.push(this.text.slice(start, this.pos));
        start = ++this.pos; // the escaped character starts the next run
      } else if (c === '"') {
        parts.push(this.text.slice(start, this.pos));
        this.pos++;
        return { kind: "quoted", text: parts.join(""), gap };
      }
    }
    this.error = "a quoted string is not closed";
    return null;
  }
}

const WORD_END = new Set([" ", "\t", "\r", "\n", "(", ")", '"', ";", "="]);
