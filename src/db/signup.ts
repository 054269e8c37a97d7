import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { err, ok, type Result } from "../domain/result";
import { base32, sha256Hex } from "../domain/signing";
import {
  HOLD_TTL_MS,
  MAX_HELD_BYTES,
  MAX_HELD_MESSAGES,
  SIGNUP_LINK_TTL_MS,
} from "../domain/signup";
import type { Db, Statement } from "./client";
import type { TokenError } from "./login-tokens";
import { signupHolds, signupLinks } from "./schema";

// Sign-up (SPEC section 6): mail held for an address until it is confirmed, and the
// confirmation links. A "pending address" is an address with held mail or a live link.

/** One delivery to hold, as it arrived. */
export interface NewHold {
  /** The delivery's key (Message-ID and envelope): one delivery is held once. */
  id: string;
  email: string;
  envelopeFrom: string;
  envelopeTo: string;
  /** The raw message as Sprout reads it (at most its first 1 MiB). */
  raw: Uint8Array;
  truncated: boolean;
  receivedAt: number;
}

/** What became of a hold: kept, already kept (the same delivery again), or over a cap. */
export type HoldResult =
  | { kind: "held" }
  | { kind: "duplicate" }
  | { kind: "full"; messages: number; bytes: number };

/**
 * Holds a message for its sender, only while the address holds fewer than 20 messages and
 * the total stays within 5 MiB: one conditional INSERT, so racing deliveries cannot
 * overshoot the caps.
 */
export async function holdMessage(db: Db, hold: NewHold, now: number): Promise<HoldResult> {
  const bytes = hold.raw.byteLength;
  const live = sql`email = ${hold.email} AND expires_at > ${now}`;
  const inserted = await db.all<{ id: string }>(sql`
    INSERT INTO signup_holds
      (id, email, envelope_from, envelope_to, raw_base64, bytes, truncated, received_at, expires_at)
    SELECT ${hold.id}, ${hold.email}, ${hold.envelopeFrom}, ${hold.envelopeTo},
      ${toBase64(hold.raw)}, ${bytes}, ${hold.truncated ? 1 : 0}, ${hold.receivedAt},
      ${hold.receivedAt + HOLD_TTL_MS}
    WHERE (SELECT count(*) FROM signup_holds WHERE ${live}) < ${MAX_HELD_MESSAGES}
      AND (SELECT coalesce(sum(bytes), 0) FROM signup_holds WHERE ${live}) + ${bytes} <= ${MAX_HELD_BYTES}
    ON CONFLICT (id) DO NOTHING
    RETURNING id`);
  if (inserted.length > 0) return { kind: "held" };
  const again = await db
    .select({ id: signupHolds.id })
    .from(signupHolds)
    .where(eq(signupHolds.id, hold.id))
    .limit(1);
  if (again.length > 0) return { kind: "duplicate" };
  return { kind: "full", ...(await heldTotals(db, hold.email, now)) };
}

/** How many messages, and bytes, are held for an address now. */
export async function heldTotals(
  db: Db,
  email: string,
  now: number,
): Promise<{ messages: number; bytes: number }> {
  const rows = await db
    .select({
      messages: sql<number>`count(*)`,
      bytes: sql<number>`coalesce(sum(${signupHolds.bytes}), 0)`,
    })
    .from(signupHolds)
    .where(and(eq(signupHolds.email, email), gt(signupHolds.expiresAt, now)));
  return { messages: rows[0]?.messages ?? 0, bytes: rows[0]?.bytes ?? 0 };
}

/** The held messages of an address that have not expired, in arrival order (ids only). */
export async function heldIds(
  db: Db,
  email: string,
  now: number,
): Promise<{ id: string; receivedAt: number }[]> {
  return db
    .select({ id: signupHolds.id, receivedAt: signupHolds.receivedAt })
    .from(signupHolds)
    .where(and(eq(signupHolds.email, email), gt(signupHolds.expiresAt, now)))
    .orderBy(asc(signupHolds.receivedAt), sql`rowid`);
}

/** One held message with its raw bytes, or null when it is gone (processed or expired). */
export async function heldMessage(db: Db, id: string): Promise<NewHold | null> {
  const rows = await db.select().from(signupHolds).where(eq(signupHolds.id, id)).limit(1);
  const row = rows[0];
  if (row === undefined) return null;
  return {
    id: row.id,
    email: row.email,
    envelopeFrom: row.envelopeFrom,
    envelopeTo: row.envelopeTo,
    raw: fromBase64(row.rawBase64),
    truncated: row.truncated,
    receivedAt: row.receivedAt,
  };
}

/** Statement that forgets one held message (it was processed). */
export function deleteHold(db: Db, id: string): Statement {
  return db.delete(signupHolds).where(eq(signupHolds.id, id));
}

/**
 * Statements that forget what is pending for an address: its holds and its unused links.
 * A used link stays until it expires, so a second click says "already used".
 */
export function forgetPending(db: Db, email: string): Statement[] {
  return [
    db.delete(signupHolds).where(eq(signupHolds.email, email)),
    db.delete(signupLinks).where(and(eq(signupLinks.email, email), isNull(signupLinks.usedAt))),
  ];
}

/** Statements that forget every hold and link of an address (deleting an account). */
export function forgetAddress(db: Db, email: string): Statement[] {
  return [
    db.delete(signupHolds).where(eq(signupHolds.email, email)),
    db.delete(signupLinks).where(eq(signupLinks.email, email)),
  ];
}

/** A confirmation token is 32 random bytes in base32: exactly this many characters. */
const TOKEN_LENGTH = 52;

/** A fresh confirmation token and the hash that is all the database keeps. */
export async function newSignupToken(): Promise<{ token: string; hash: string }> {
  const token = base32(crypto.getRandomValues(new Uint8Array(32)));
  return { token, hash: await hashSignupToken(token) };
}

function hashSignupToken(token: string): Promise<string> {
  return sha256Hex(`signup:${token}`);
}

/** Statement that stores a confirmation link's hash for an address, valid 7 days. */
export function insertSignupLink(db: Db, hash: string, email: string, now: number): Statement {
  return db
    .insert(signupLinks)
    .values({ tokenHash: hash, email, createdAt: now, expiresAt: now + SIGNUP_LINK_TTL_MS });
}

/** Says whether a confirmation token would work now, and for which address, without using it. */
export async function checkSignupLink(
  db: Db,
  token: string,
  now: number,
): Promise<Result<string, TokenError>> {
  // Only a token of the exact length is looked up: a truncated or padded one is not valid.
  if (!isWellFormed(token)) return err({ kind: "token-unknown" });
  const rows = await db
    .select()
    .from(signupLinks)
    .where(eq(signupLinks.tokenHash, await hashSignupToken(token)))
    .limit(1);
  const row = rows[0];
  if (row === undefined) return err({ kind: "token-unknown" });
  if (row.usedAt !== null) return err({ kind: "token-used" });
  if (row.expiresAt <= now) return err({ kind: "token-expired" });
  return ok(row.email);
}

/** Uses a confirmation token once: one conditional UPDATE, so two racing requests cannot both. */
export async function consumeSignupLink(
  db: Db,
  token: string,
  now: number,
): Promise<Result<string, TokenError>> {
  if (!isWellFormed(token)) return err({ kind: "token-unknown" });
  const used = await db
    .update(signupLinks)
    .set({ usedAt: now })
    .where(
      and(
        eq(signupLinks.tokenHash, await hashSignupToken(token)),
        isNull(signupLinks.usedAt),
        gt(signupLinks.expiresAt, now),
      ),
    )
    .returning({ email: signupLinks.email });
  const first = used[0];
  if (first !== undefined) return ok(first.email);
  const why = await checkSignupLink(db, token, now);
  // A token that passes the check now lost a race with another request: it is used.
  return why.ok ? err({ kind: "token-used" }) : why;
}

function isWellFormed(token: string): boolean {
  return token.length === TOKEN_LENGTH && /^[a-z2-7]+$/.test(token);
}

// Held mail is stored as base64 text: D1 hands BLOBs back as arrays of numbers.
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
