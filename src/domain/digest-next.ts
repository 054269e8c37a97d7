import { type DigestPrefs, digestMoment } from "./digest-schedule";
import { addDays, atLocalMinutes, toLocal } from "./zoned-time";

/** Two digests are never closer than this (a week, minus a DST hour and then some). */
const MIN_GAP_MS = 6 * 24 * 60 * 60 * 1000;

/** What decides a user's next digest besides the schedule itself. */
export interface DigestHistory {
  createdAt: number;
  lastDigestAt: number | null;
}

/**
 * When a user's next weekly digest is due, seen from `now`: this week's moment while it is
 * still ahead, else the next week's. With `catchUp`, this week's moment counts even when it
 * has passed (a user whose digest was never computed gets this week's now, as a late cron
 * run would). Never a week that ended before the user joined, never within 6 days of the
 * last digest. Pure: the caller passes `now`.
 */
export function nextDigestAt(
  now: number,
  prefs: DigestPrefs & DigestHistory,
  catchUp: boolean,
): number {
  let moment = digestMoment(new Date(now), prefs).getTime();
  for (let week = 0; week < 3; week++) {
    const ahead = catchUp || moment > now;
    const joined = moment >= prefs.createdAt;
    const spaced = prefs.lastDigestAt === null || moment >= prefs.lastDigestAt + MIN_GAP_MS;
    if (ahead && joined && spaced) return moment;
    moment = weekAfter(moment, prefs);
  }
  return moment;
}

/** The same weekday and reminder time a week later, on the local calendar (DST-proof). */
function weekAfter(moment: number, prefs: DigestPrefs): number {
  const local = toLocal(new Date(moment), prefs.timeZone);
  return atLocalMinutes(addDays(local, 7), prefs.reminderMinutes, prefs.timeZone).getTime();
}
