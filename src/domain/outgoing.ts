/** One outgoing email, exactly as handed to Resend (or kept in the dev outbox). */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo?: string | undefined;
  headers: Record<string, string>;
}

/** Outgoing subjects are cut to this many characters (SPEC section 9). */
export const MAX_SUBJECT = 250;

// CR, LF and NUL end or split a header line; U+2028 and U+2029 are line breaks to some
// mail clients and to JavaScript. Any other C0 control or DEL has no business there either.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is removed.
const UNSAFE_IN_HEADER = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/**
 * A value safe to put in a header: line breaks and control characters become one space, so
 * a subject or display name taken from inbound mail can never start a header of its own.
 */
export function headerSafe(value: string): string {
  return value.replace(UNSAFE_IN_HEADER, " ").trim();
}

/** A subject safe for a header and at most MAX_SUBJECT characters (never a split surrogate). */
export function outgoingSubject(subject: string): string {
  const safe = headerSafe(subject);
  if (safe.length <= MAX_SUBJECT) return safe;
  const cut = safe.slice(0, MAX_SUBJECT);
  // A high surrogate left alone at the end would be an invalid character.
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
