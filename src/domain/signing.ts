// HMAC signatures for reply addresses and links, and random ids. Runs in workerd and in
// Node alike; keys are expanded once per secret.
import { type HmacKey, hmacKey, hmacSha256 } from "./hmac-sha256";

const encoder = new TextEncoder();
const keyCache = new Map<string, HmacKey>();

function keyFor(secret: string): HmacKey {
  let key = keyCache.get(secret);
  if (key === undefined) {
    key = hmacKey(encoder.encode(secret));
    keyCache.set(secret, key);
  }
  return key;
}

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
  const mac = hmacSha256(keyFor(secret), encoder.encode(`${purpose}:${message}`));
  return base32(mac).slice(0, length);
}

/** Checks a signature in constant time (relative to the signature's content). */
export async function verify(
  secret: string,
  purpose: string,
  message: string,
  signature: string,
): Promise<boolean> {
  const expected = await sign(secret, purpose, message, signature.length || 16);
  return signature.length >= 16 && timingSafeEqual(expected, signature.toLowerCase());
}

/** Compares two strings without an early exit on the first difference. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** SHA-256 of a string as lower-case hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
