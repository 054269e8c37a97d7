import { eq } from "drizzle-orm";
import type { SchedulePrefs } from "../domain/schedule";
import { randomId } from "../domain/signing";
import type { Db } from "./client";
import { type UserRow, users } from "./schema";

/** Finds a user by lower-cased address. */
async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const rows = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return rows[0] ?? null;
}

/** Finds a user by id. */
export async function findUserById(db: Db, id: string): Promise<UserRow | null> {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0] ?? null;
}

/** The verified user with this lower-cased address, or null (never creates an account). */
export async function findVerifiedUser(db: Db, email: string): Promise<UserRow | null> {
  const user = await findUserByEmail(db, email);
  return user?.status === "verified" ? user : null;
}

/**
 * The account of an address that just confirmed itself (SPEC section 6): created verified,
 * with the default settings, or the existing one (a second link, an address added meanwhile).
 */
export async function confirmedUser(
  db: Db,
  email: string,
  defaultTimeZone: string,
  now: number,
): Promise<UserRow> {
  await db
    .insert(users)
    .values({
      id: randomId(12),
      email,
      status: "verified",
      timeZone: defaultTimeZone,
      createdAt: now,
    })
    .onConflictDoUpdate({ target: users.email, set: { status: "verified" } });
  const user = await findUserByEmail(db, email);
  if (user === null) throw new Error(`the account of ${email} was not stored`);
  return user;
}

/**
 * The verified user behind a sender address: an existing verified user, or an address in
 * OWNERS, which gets its account on first use. Null for anyone else.
 */
export async function verifiedSender(
  db: Db,
  email: string,
  owners: ReadonlySet<string>,
  defaultTimeZone: string,
  now: number,
): Promise<UserRow | null> {
  const existing = await findUserByEmail(db, email);
  if (existing !== null) return existing.status === "verified" ? existing : null;
  if (!owners.has(email)) return null;
  await db
    .insert(users)
    .values({
      id: randomId(12),
      email,
      status: "verified",
      timeZone: defaultTimeZone,
      createdAt: now,
    })
    .onConflictDoNothing();
  return findUserByEmail(db, email);
}

/** A user's time and cadence settings, as the time grammar and the schedule take them. */
export function userPrefs(user: UserRow): SchedulePrefs {
  return {
    timeZone: user.timeZone,
    reminderMinutes: user.reminderMinutes,
    skipWeekends: user.skipWeekends,
    cadence: user.cadence,
    oneReminderOnly: user.oneReminderOnly,
  };
}
