import { and, eq, isNotNull, sql } from "drizzle-orm";
import { nextDigestAt } from "../domain/digest-next";
import { remindersToMove } from "../domain/reschedule";
import { type Db, runBatch } from "./client";
import { threads, type UserRow, users } from "./schema";

/** The settings a user can change on the web page, validated: the columns saveSettings writes. */
export type SettingsInput = Pick<
  UserRow,
  | "timeZone"
  | "reminderMinutes"
  | "skipWeekends"
  | "cadence"
  | "oneReminderOnly"
  | "confirmations"
  | "digestEnabled"
  | "digestDay"
  | "paused"
>;

/** Pending reminders read per page, and moved per D1 batch, when settings change. */
const PAGE = 500;
const MOVES_PER_BATCH = 100;

/**
 * Saves a user's settings. Pending reminders that used the old default time move to the
 * new one, in bounded pages (each an index search on the user's pending reminders) and
 * batches of single-row updates (each a primary-key search), so a user with 10,000 pending
 * reminders costs 20 reads and 100 batches, never one statement that grows with the square.
 * Resuming after a pause releases the held reminders, so every one that came due meanwhile
 * goes out at the next cron run, oldest first. Returns how many reminders moved.
 */
export async function saveSettings(
  db: Db,
  user: UserRow,
  input: SettingsInput,
  now: number,
): Promise<number> {
  // Reminders first: if this stops half-way, the user row still holds the old settings,
  // and saving again moves the rest.
  const moved = await moveDefaultTimes(db, user, input, now);
  const digestChanged =
    input.timeZone !== user.timeZone ||
    input.reminderMinutes !== user.reminderMinutes ||
    input.digestDay !== user.digestDay ||
    input.digestEnabled !== user.digestEnabled;
  const nextDigest = !digestChanged
    ? user.nextDigestAt
    : input.digestEnabled
      ? nextDigestAt(
          now,
          { ...input, createdAt: user.createdAt, lastDigestAt: user.lastDigestAt },
          false,
        )
      : null;
  await db
    .update(users)
    .set({ ...input, nextDigestAt: nextDigest })
    .where(eq(users.id, user.id));
  // After the user row says "not paused", so the cron job cannot hold them again. Runs on
  // every save while not paused, which also finishes a resume that stopped half-way.
  if (!input.paused) await releaseHeld(db, user.id);
  return moved;
}

/** Moves the reminders at the old default time of day to the new one; returns how many. */
async function moveDefaultTimes(
  db: Db,
  user: UserRow,
  input: SettingsInput,
  now: number,
): Promise<number> {
  if (input.timeZone === user.timeZone && input.reminderMinutes === user.reminderMinutes) return 0;
  const movedIds = new Set<string>();
  let after = { dueAt: -1, rowid: 0 };
  for (;;) {
    const page = await pendingPage(db, user.id, after);
    // A reminder moved later in time could come round again on a later page: skip it.
    const moves = remindersToMove(
      page.filter((t) => !movedIds.has(t.id)),
      user,
      input,
    );
    for (let i = 0; i < moves.length; i += MOVES_PER_BATCH) {
      await runBatch(
        db,
        moves.slice(i, i + MOVES_PER_BATCH).map((m) =>
          db
            .update(threads)
            .set({ dueAt: m.to, updatedAt: now })
            // Only where it was read: the cron job or a command may have moved it since.
            .where(
              and(
                eq(threads.id, m.id),
                eq(threads.userId, user.id),
                eq(threads.status, "scheduled"),
                eq(threads.dueAt, m.from),
              ),
            ),
        ),
      );
    }
    for (const m of moves) movedIds.add(m.id);
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) break;
    after = { dueAt: last.dueAt, rowid: last.rowid };
  }
  return movedIds.size;
}

/**
 * One page of a user's pending reminders after the keyset `after`, in (due_at, rowid)
 * order: an index search on threads_user_status, whatever the number of threads.
 */
export function pendingPageQuery(db: Db, userId: string, after: { dueAt: number; rowid: number }) {
  return db
    .select({ id: threads.id, dueAt: sql<number>`${threads.dueAt}`, rowid: sql<number>`rowid` })
    .from(threads)
    .where(
      and(
        eq(threads.userId, userId),
        eq(threads.status, "scheduled"),
        isNotNull(threads.dueAt),
        sql`(${threads.dueAt}, rowid) > (${after.dueAt}, ${after.rowid})`,
      ),
    )
    .orderBy(threads.dueAt, sql`rowid`)
    .limit(PAGE);
}

async function pendingPage(db: Db, userId: string, after: { dueAt: number; rowid: number }) {
  return pendingPageQuery(db, userId, after);
}

/** Releases a resumed user's held reminders, 500 per statement, until none is left. */
async function releaseHeld(db: Db, userId: string): Promise<void> {
  for (;;) {
    const released = await db
      .update(threads)
      .set({ held: false })
      .where(
        sql`rowid in (${db
          .select({ rowid: sql`rowid` })
          .from(threads)
          .where(and(eq(threads.userId, userId), eq(threads.held, true)))
          .limit(PAGE)})`,
      )
      .returning({ id: threads.id });
    if (released.length < PAGE) return;
  }
}
