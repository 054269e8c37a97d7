import { addDays, atLocalMinutes, toLocal } from "./zoned-time";

/** A week in milliseconds (digest buckets are whole 7-day spans ending at the digest). */
export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** What decides when a user's digest goes out. */
export interface DigestPrefs {
  timeZone: string;
  reminderMinutes: number;
  /** 0 = Sunday ... 6 = Saturday; weeks start on Monday, so Sunday ends the week. */
  digestDay: number;
}

/** This week's digest moment: the digest day of the current Monday-to-Sunday week, at the reminder time. */
export function digestMoment(now: Date, prefs: DigestPrefs): Date {
  const local = toLocal(now, prefs.timeZone);
  const sinceMonday = (local.weekday + 6) % 7;
  const monday = addDays({ year: local.year, month: local.month, day: local.day }, -sinceMonday);
  const day = addDays(monday, (prefs.digestDay + 6) % 7);
  return atLocalMinutes(day, prefs.reminderMinutes, prefs.timeZone);
}

/**
 * Whether this week's digest is due now and not yet sent, and its moment (its identity).
 * A week whose moment came before the user joined has no digest.
 */
export function digestDue(
  now: Date,
  prefs: DigestPrefs & { createdAt: number; lastDigestAt: number | null },
): { due: boolean; moment: number } {
  const moment = digestMoment(now, prefs).getTime();
  const notSent = prefs.lastDigestAt === null || prefs.lastDigestAt < moment;
  const due = now.getTime() >= moment && moment >= prefs.createdAt && notSent;
  return { due, moment };
}

/** Consecutive weeks with outreach, counting back from the newest (counts oldest first). */
export function streak(weeklyOutreach: number[]): number {
  let weeks = 0;
  for (let i = weeklyOutreach.length - 1; i >= 0 && (weeklyOutreach[i] ?? 0) > 0; i--) weeks++;
  return weeks;
}
