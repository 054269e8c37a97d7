// HMAC signatures for reply addresses and links, and random ids. Runs in workerd and in
// Node alike. node:crypto's Hmac is synchronous and native in both: Sprout signs five short
// strings per reminder (four action links and the reply address), and Web Crypto does each as
// an asynchronous job whose overhead dwarfs the hashing (about 50 microseconds a signature).
import { createHash, createHmac } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Lower-case RFC 4648 base32 without padding: safe in an email local part and a URL. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A random lower-case base32 id of `length` characters. */
export function randomId(length = 10): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil((length * 5) / 8)));
  return base32(bytes).slice(0, length);
}

/** HMAC-SHA256 of `purpose:message`, as `length` base32 characters. */
export async function sign(
  secret: string,
  purpose: string,
  message: string,
  length = 16,
): Promise<string> {
  const mac = createHmac("sha256", secret).update(`${purpose}:${message}`).digest();
  return base32(mac).slice(0, length);
}

// Exact shapes (SPEC 9): a signature or token is accepted only at its exact length, in
// lower-case base32. Before, a prefix of 16 characters or more was checked against the same
// prefix of the real one, and upper case was folded: a 22-character action link cut to 16,
// or upper-cased, still worked.

/** What one kind of signed thing signs with: a purpose (versioned) and an exact length. */
export interface SignatureKind {
  purpose: string;
  length: number;
}

/** True when `text` is exactly `length` lower-case base32 characters. */
export function isBase32(text: string, length: number): boolean {
  return text.length === length && /^[a-z2-7]*$/.test(text);
}

/** The signature of `message` for one kind of signed thing. */
export function signAs(secret: string, kind: SignatureKind, message: string): Promise<string> {
  return sign(secret, kind.purpose, message, kind.length);
}

/**
 * True only when `signature` is exactly what `signAs` gives for this message: its exact
 * length and alphabet first (nothing else is even compared), then a constant-time match.
 */
export async function verifySignature(
  secret: string,
  kind: SignatureKind,
  message: string,
  signature: string,
): Promise<boolean> {
  if (!isBase32(signature, kind.length)) return false;
  return timingSafeEqual(await signAs(secret, kind, message), signature);
}

/** Bytes of randomness in every token and session id. */
const TOKEN_BYTES = 32;
/** The length of a token: 32 bytes in base32 (256 bits, 52 characters). */
export const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 8) / 5);

/**
 * A random secret for a link or a cookie (sign-in tokens, confirmation tokens, session
 * ids): 32 random bytes as 52 lower-case base32 characters. Store only a hash of it.
 */
export function randomToken(): string {
  return base32(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

/**
 * True when `text` has exactly the shape randomToken() gives: 52 lower-case base32
 * characters, the last of which carries one bit and four zero bits ("a" or "q"). Check it
 * before hashing or looking anything up, so a malformed token costs nothing.
 */
export function isRandomToken(text: string): boolean {
  return isBase32(text, TOKEN_LENGTH) && (text.endsWith("a") || text.endsWith("q"));
}

/** Compares two strings without an early exit on the first difference. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * SHA-256 of a string as lower-case hex. Synchronous inside (node:crypto; Web Crypto's digest
 * is an asynchronous job that cost more than the hashing, several times per message); kept
 * async for its callers.
 */
export async function sha256Hex(text: string): Promise<string> {
  return createHash("sha256").update(text).digest("hex");
}
