import { atLocalMinutes, toLocal } from "./zoned-time";

/** The part of a user's settings that decides the default reminder time. */
export interface ReminderClock {
  timeZone: string;
  reminderMinutes: number;
}

/** One pending reminder to move from `from` to `to` (milliseconds since the epoch). */
export interface Move {
  id: string;
  from: number;
  to: number;
}

/**
 * Which pending reminders follow a change of zone or reminder time. A reminder that falls
 * exactly on the old reminder time of day in the old zone used the default time, so it
 * moves to the same local date at the new time in the new zone; any other time was named
 * by the user (`tomorrow9am@`, `snooze 2h`) and stays. Pure: no clock, no I/O.
 */
export function remindersToMove(
  pending: { id: string; dueAt: number }[],
  before: ReminderClock,
  after: ReminderClock,
): Move[] {
  if (before.timeZone === after.timeZone && before.reminderMinutes === after.reminderMinutes) {
    return [];
  }
  const moves: Move[] = [];
  for (const { id, dueAt } of pending) {
    if (dueAt % 60_000 !== 0) continue;
    const local = toLocal(new Date(dueAt), before.timeZone);
    if (local.hour * 60 + local.minute !== before.reminderMinutes) continue;
    const to = atLocalMinutes(local, after.reminderMinutes, after.timeZone).getTime();
    if (to !== dueAt) moves.push({ id, from: dueAt, to });
  }
  return moves;
}
