import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { err, ok, type Result } from "../domain/result";
import { isRandomToken, randomToken, sha256Hex } from "../domain/signing";
import type { Db, Statement } from "./client";
import { loginTokens } from "./schema";

/** How long a sign-in link works. */
export const LOGIN_TOKEN_TTL_MS = 15 * 60 * 1000;

/** Why a sign-in token does not sign anyone in. */
export type TokenError =
  | { kind: "token-unknown" }
  | { kind: "token-used" }
  | { kind: "token-expired" };

/** A fresh token (32 random bytes, base32) and the hash that is all the database keeps. */
export async function newLoginToken(): Promise<{ token: string; hash: string }> {
  const token = randomToken();
  return { token, hash: await sha256Hex(`login:${token}`) };
}

/** The hash under which a token is stored. */
function hashLoginToken(token: string): Promise<string> {
  return sha256Hex(`login:${token}`);
}

/** Statement that stores a token's hash for a user, valid for 15 minutes from `now`. */
export function insertLoginToken(db: Db, hash: string, userId: string, now: number): Statement {
  return db
    .insert(loginTokens)
    .values({ tokenHash: hash, userId, createdAt: now, expiresAt: now + LOGIN_TOKEN_TTL_MS });
}

/**
 * Says whether a token would work now, without using it (the GET confirmation page). A
 * token not of randomToken()'s exact shape is unknown before any hash or query.
 */
export async function checkLoginToken(
  db: Db,
  token: string,
  now: number,
): Promise<Result<string, TokenError>> {
  if (!isRandomToken(token)) return err({ kind: "token-unknown" });
  const rows = await db
    .select()
    .from(loginTokens)
    .where(eq(loginTokens.tokenHash, await hashLoginToken(token)))
    .limit(1);
  const row = rows[0];
  if (row === undefined) return err({ kind: "token-unknown" });
  if (row.usedAt !== null) return err({ kind: "token-used" });
  if (row.expiresAt <= now) return err({ kind: "token-expired" });
  return ok(row.userId);
}

/**
 * Uses a token once: one conditional UPDATE, so two racing requests cannot both sign in.
 * Returns the user id, or why the token failed.
 */
export async function consumeLoginToken(
  db: Db,
  token: string,
  now: number,
): Promise<Result<string, TokenError>> {
  if (!isRandomToken(token)) return err({ kind: "token-unknown" });
  const hash = await hashLoginToken(token);
  const used = await db
    .update(loginTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(loginTokens.tokenHash, hash),
        isNull(loginTokens.usedAt),
        gt(loginTokens.expiresAt, now),
      ),
    )
    .returning({ userId: loginTokens.userId });
  const first = used[0];
  if (first !== undefined) return ok(first.userId);
  const why = await checkLoginToken(db, token, now);
  // A token that passes the check now lost a race with another request: it is used.
  return why.ok ? err({ kind: "token-used" }) : why;
}

/**
 * Statement that forgets a user's expired tokens. Used ones stay until they expire, so a
 * second click on a link says "already used" rather than "not valid".
 */
export function pruneLoginTokens(db: Db, userId: string, now: number): Statement {
  return db
    .delete(loginTokens)
    .where(and(eq(loginTokens.userId, userId), lt(loginTokens.expiresAt, now)));
}
