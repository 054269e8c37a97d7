import type { Config } from "../config";
import { type Db, runBatch, type Statement } from "../db/client";
import { queueDelivery } from "../db/deliveries";
import {
  answeredBySpan,
  answersAfterFollowUp,
  digestCandidates,
  dueBetween,
  isActive,
  markDigest,
} from "../db/digest";
import type { UserRow } from "../db/schema";
import { outreachWeeksUntilGap, weeklyCounts } from "../db/stats";
import { threadContacts } from "../db/threads";
import { digestDue, streak, WEEK_MS } from "../domain/digest-schedule";
import { digestUnsubscribeLink } from "../domain/links";
import type { OutgoingEmail } from "../domain/outgoing";
import { formatLocal } from "../domain/zoned-time";
import { composeEmail } from "../mail/compose";
import { digestHeaders, renderDigest } from "../mail/templates/digest";

export interface DigestSummary {
  checked: number;
  queued: number;
  skippedInactive: number;
}

/** How far back the digest looks for response rates (the streak walks back as far as it goes). */
const HISTORY_WEEKS = 12;
const DUE_SHOWN = 15;

/**
 * Queues this week's digest for every user whose digest moment (day and reminder time, in
 * their zone) has come. The delivery id is derived from the user and the moment, and the
 * user row records the moment in the same batch, so a week never sends two digests.
 */
export async function queueDigests(
  db: Db,
  config: Config,
  now: number,
  limit: number,
): Promise<DigestSummary> {
  const summary: DigestSummary = { checked: 0, queued: 0, skippedInactive: 0 };
  for (const user of await digestCandidates(db, now, limit)) {
    summary.checked += 1;
    const { due, moment } = digestDue(new Date(now), user);
    if (!due) continue;
    const statements: Statement[] = [markDigest(db, user.id, moment)];
    if (await isActive(db, user.id, moment - HISTORY_WEEKS * WEEK_MS)) {
      const email = await digestEmail(db, config, user, moment);
      statements.unshift(
        queueDelivery(
          db,
          {
            id: `digest-${user.id}-${moment}`,
            userId: user.id,
            threadId: null,
            kind: "digest",
            email,
          },
          now,
        ),
      );
      summary.queued += 1;
    } else {
      summary.skippedInactive += 1;
    }
    await runBatch(db, statements);
  }
  return summary;
}

/** The digest email of one user for the week ending at `moment`. */
export async function digestEmail(
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
