import { and, eq, gt, lt, or } from "drizzle-orm";
import { isRandomToken, randomToken, sha256Hex } from "../domain/signing";
import type { Db, Statement } from "./client";
import { sessions, type UserRow, users } from "./schema";

/** A session ends this long after sign-in, however active. */
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reading a page is not a write each time. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** The hash under which a session id is stored. */
function hashSessionId(id: string): Promise<string> {
  return sha256Hex(`session:${id}`);
}

/** A new session for a user: the id goes into the cookie, only its hash into the database. */
export async function newSession(
  db: Db,
  userId: string,
  now: number,
): Promise<{ id: string; statement: Statement }> {
  const id = randomToken();
  const statement = db.insert(sessions).values({
    idHash: await hashSessionId(id),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_ABSOLUTE_MS,
  });
  return { id, statement };
}

/**
 * The signed-in user of a session id, or null when unknown, expired (absolute or idle) or
 * not of randomToken()'s exact shape (then nothing is hashed or read).
 */
export async function sessionUser(db: Db, id: string, now: number): Promise<UserRow | null> {
  if (!isRandomToken(id)) return null;
  const idHash = await hashSessionId(id);
  const rows = await db
    .select({ user: users, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.idHash, idHash),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, now - SESSION_IDLE_MS),
      ),
    )
    .limit(1);
  const row = rows[0];
  if (row === undefined) return null;
  if (now - row.lastSeenAt >= TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
  }
  return row.user;
}

/** Ends one session (sign-out). */
export async function endSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, await hashSessionId(id)));
}

/** Statement that forgets a user's expired sessions. */
export function pruneSessions(db: Db, userId: string, now: number): Statement {
  return db
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, now - SESSION_IDLE_MS)),
      ),
    );
}
