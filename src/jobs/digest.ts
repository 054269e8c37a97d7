import type { Config } from "../config";
import { type Db, runBatch, type Statement } from "../db/client";
import { queueDelivery } from "../db/deliveries";
import {
  answeredBySpan,
  answersAfterFollowUp,
  dueBetween,
  dueDigestUsers,
  isActive,
  markDigest,
  rescheduleDigest,
} from "../db/digest";
import type { UserRow } from "../db/schema";
import { outreachWeeksUntilGap, weeklyCounts } from "../db/stats";
import { threadContacts } from "../db/threads";
import { nextDigestAt } from "../domain/digest-next";
import { streak, WEEK_MS } from "../domain/digest-schedule";
import { digestUnsubscribeLink } from "../domain/links";
import type { OutgoingEmail } from "../domain/outgoing";
import { formatLocal } from "../domain/zoned-time";
import { composeEmail } from "../mail/compose";
import { digestHeaders, renderDigest } from "../mail/templates/digest";

/** What the digest work of a run came to. */
export interface DigestSummary {
  /** Users whose next-digest time had come (or had never been computed). */
  looked: number;
  queued: number;
  skippedInactive: number;
  skippedPaused: number;
}

/** An empty summary. */
export function noDigests(): DigestSummary {
  return { looked: 0, queued: 0, skippedInactive: 0, skippedPaused: 0 };
}

/** How far back the digest looks for response rates (the streak walks back as far as it goes). */
const HISTORY_WEEKS = 12;
const DUE_SHOWN = 15;
/** Users whose digest is read from D1 at once. */
const CONCURRENT = 10;
/** A pending (unconfirmed) address is looked at again after this long. */
const PENDING_RECHECK_MS = 24 * 60 * 60 * 1000;

/**
 * Queues the digest of up to `limit` users whose next-digest time has come, found through
 * the index on users.next_digest_at (a user is read once a week, so no number of new users
 * can crowd out anyone's digest). The delivery id is derived from the user and the week's
 * moment, and the user row records the moment and the next one in the same batch, so a week
 * never sends two digests.
 */
export async function queueDueDigests(
  db: Db,
  config: Config,
  now: number,
  limit: number,
): Promise<{ summary: DigestSummary; deliveryIds: string[] }> {
  const summary = noDigests();
  const deliveryIds: string[] = [];
  const statements: Statement[] = [];
  const due = await dueDigestUsers(db, now, limit);
  summary.looked = due.length;
  // A digest reads five things from D1: users are taken CONCURRENT at a time, so those
  // round trips overlap instead of adding up.
  for (let i = 0; i < due.length; i += CONCURRENT) {
    const steps = await Promise.all(
      due
        .slice(i, i + CONCURRENT)
        .map((user) => digestStep(db, config, user, now, summary, deliveryIds)),
    );
    for (const step of steps) statements.push(...step);
  }
  // One batch for the lot: most users read here only get their next time written.
  await runBatch(db, statements);
  return { summary, deliveryIds };
}

/** What one due user's digest comes to: the statements that queue it and/or reschedule. */
async function digestStep(
  db: Db,
  config: Config,
  user: UserRow,
  now: number,
  summary: DigestSummary,
  deliveryIds: string[],
): Promise<Statement[]> {
  if (user.status !== "verified") {
    return [rescheduleDigest(db, user.id, user.nextDigestAt, now + PENDING_RECHECK_MS)];
  }
  if (!user.digestEnabled) return [rescheduleDigest(db, user.id, user.nextDigestAt, null)];
  // 0: never computed (a new user, or one from before next_digest_at existed).
  const moment =
    user.nextDigestAt === 0 || user.nextDigestAt === null
      ? nextDigestAt(now, user, true)
      : user.nextDigestAt;
  if (moment > now) return [rescheduleDigest(db, user.id, user.nextDigestAt, moment)];
  const following = nextDigestAt(moment, { ...user, lastDigestAt: moment }, false);
  if (user.paused) {
    summary.skippedPaused += 1;
    return [rescheduleDigest(db, user.id, user.nextDigestAt, following)];
  }
  const statements: Statement[] = [markDigest(db, user.id, moment, following)];
  if (!(await isActive(db, user.id, moment - HISTORY_WEEKS * WEEK_MS))) {
    summary.skippedInactive += 1;
    return statements;
  }
  const id = `digest-${user.id}-${moment}`;
  const email = await digestEmail(db, config, user, moment);
  statements.unshift(
    queueDelivery(db, { id, userId: user.id, threadId: null, kind: "digest", email }, now),
  );
  summary.queued += 1;
  deliveryIds.push(id);
  return statements;
}

/** The digest email of one user for the week ending at `moment`. */
async function digestEmail(
  db: Db,
  config: Config,
  user: UserRow,
  moment: number,
): Promise<OutgoingEmail> {
  const start = moment - HISTORY_WEEKS * WEEK_MS;
  const counts = await weeklyCounts(db, user.id, start, HISTORY_WEEKS);
  const last = (series: number[]) => series[series.length - 1] ?? 0;
  const spanMs = 4 * WEEK_MS;
  const spans = await answeredBySpan(db, user.id, start, spanMs, HISTORY_WEEKS / 4);
  const due = await dueBetween(db, user.id, moment, moment + WEEK_MS, DUE_SHOWN + 1);
  const day = (ms: number) => formatLocal(new Date(ms), user.timeZone).replace(/, \d\d:\d\d$/, "");
  const rendered = renderDigest({
    timeZone: user.timeZone,
    lastWeek: {
      outreach: last(counts.outreach),
      followup: last(counts.followup),
      reply: last(counts.reply),
      call: last(counts.call),
    },
    spans: spans.map((s, i) => ({
      label: `${day(start + i * spanMs)} to ${day(start + (i + 1) * spanMs - 1)}`,
      ...s,
    })),
    dueThisWeek: due
      .slice(0, DUE_SHOWN)
      .map((t) => ({ contacts: threadContacts(t), subject: t.subject, dueAt: t.dueAt ?? moment })),
    moreDue: Math.max(0, due.length - DUE_SHOWN),
    streakWeeks: streak(await outreachWeeksUntilGap(db, user.id, moment)),
    answers: await answersAfterFollowUp(db, user.id),
    threadsUrl: `${config.publicUrl}/threads`,
  });
  const unsubscribe = await digestUnsubscribeLink(config.signingSecret, config.publicUrl, user.id);
  return composeEmail(config, {
    to: user.email,
    rendered,
    autoSubmitted: "auto-generated",
    headers: digestHeaders(unsubscribe, config.mailDomain),
  });
}
