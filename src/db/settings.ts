import { and, eq, isNotNull, sql } from "drizzle-orm";
import { remindersToMove } from "../domain/reschedule";
import { type Db, runBatch, type Statement } from "./client";
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

/**
 * Saves a user's settings and, in the same batch, moves pending reminders that used the
 * old default time to the new one. Returns how many reminders moved.
 */
export async function saveSettings(
  db: Db,
  user: UserRow,
  input: SettingsInput,
  now: number,
): Promise<number> {
  const pending = await db
    .select({ id: threads.id, dueAt: threads.dueAt })
    .from(threads)
    .where(
      and(eq(threads.userId, user.id), eq(threads.status, "scheduled"), isNotNull(threads.dueAt)),
    );
  const moves = remindersToMove(
    pending.flatMap((t) => (t.dueAt === null ? [] : [{ id: t.id, dueAt: t.dueAt }])),
    user,
    input,
  );
  const statements: Statement[] = [db.update(users).set(input).where(eq(users.id, user.id))];
  if (moves.length > 0) {
    // One statement whatever the count: the moves travel as one JSON parameter (D1 allows
    // 100 bound parameters per statement).
    const json = JSON.stringify(moves.map((m) => [m.id, m.from, m.to]));
    // json_each has its own `id` column, hence the qualified threads.id and threads.due_at.
    // A row moves only if it is still where it was read (the cron job may have moved it).
    const newDue = sql<number>`(select json_extract(value, '$[2]') from json_each(${json})
      where json_extract(value, '$[0]') = threads.id and json_extract(value, '$[1]') = threads.due_at)`;
    statements.push(
      db
        .update(threads)
        .set({ dueAt: newDue, updatedAt: now })
        .where(
          and(
            eq(threads.userId, user.id),
            eq(threads.status, "scheduled"),
            sql`threads.id in (select json_extract(value, '$[0]') from json_each(${json}))`,
            sql`${newDue} is not null`,
          ),
        ),
    );
  }
  await runBatch(db, statements);
  return moves.length;
}
