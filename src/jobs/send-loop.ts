import type { Db } from "../db/client";
import { claimFresh, claimRetryBatch, unclaim } from "../db/deliveries";
import type { DeliveryRow } from "../db/schema";
import { randomId } from "../domain/signing";
import { sendGroup } from "../mail/deliver";
import { type DeliverySummary, noDeliveries } from "../mail/delivery-summary";
import { MAX_BATCH, type Mailer } from "../mail/mailer";
import { type Clock, Pacer } from "../mail/pacer";
import { rowsOf, type ScreenedGroup, screenGroup } from "../mail/screen";

/** How long, at most, and how much one run sends. */
interface LoopLimits {
  /** Requests a second the mail API allows. */
  sendRate: number;
  /** Wall-clock budget of the run, from its start. */
  budgetMs: number;
  /** At most this many emails per run; null for no cap. */
  maxPerRun: number | null;
}

/**
 * Turns due work into deliveries, at most `room` of them: `rows` were queued already claimed
 * in the batch `batchKey` (ready to send), `queued` more were queued unclaimed; `more` is
 * false once nothing is left to do.
 */
export type Refill = (
  room: number,
  now: number,
  batchKey: string,
) => Promise<{ rows: DeliveryRow[]; queued: number; more: boolean }>;

/** Why the loop ended: nothing left, the time budget, or MAX_PER_RUN. */
export type StopReason = "done" | "budget" | "cap";

/**
 * Requests in flight at once. A Worker keeps at most 6 connections open per invocation, and
 * a request to the mail API takes far longer than the gap between two of them at a high
 * SEND_RATE, so requests overlap while their starts stay paced.
 */
const MAX_IN_FLIGHT = 6;

/** Groups prepared ahead of their slot. */
const AHEAD = 2;

/**
 * Sends until nothing is due, the budget is spent or the cap is reached: each round takes
 * the oldest batch awaiting a retry (whole, with its key), or else up to 100 fresh deliveries,
 * asking `refill` to queue more (render reminders, then digests) when fewer are waiting,
 * screens it against the suppression list, then starts the request in the next slot of the
 * pacer. A 429 slows the pace and its batch is sent again, in this run, once its
 * retry-after has passed.
 */
export async function sendLoop(
  db: Db,
  mailer: Mailer,
  clock: Clock,
  limits: LoopLimits,
  refill: Refill,
): Promise<{ deliveries: DeliverySummary; stopped: StopReason }> {
  const start = clock.now();
  const deadline = start + limits.budgetMs;
  const pacer = new Pacer(limits.sendRate, clock);
  const summary = noDeliveries();
  const inFlight = new Set<Promise<void>>();
  let retryAt: number | null = null;
  /** Requests whose outcome is recorded: one that lands while claiming means look again. */
  let settled = 0;
  let emails = 0;
  let more = true;
  let stopped: StopReason = "done";
  const claim = async (room: number): Promise<DeliveryRow[]> => {
    const now = clock.now();
    const retry = await claimRetryBatch(db, now);
    if (retry.length > 0) return retry;
    const key = `b-${randomId(20)}`;
    let group = await claimFresh(db, now, room, key);
    while (group.length < room && more && clock.now() < deadline) {
      const filled = await refill(room - group.length, clock.now(), key);
      more = filled.more;
      group = group.concat(filled.rows);
      if (filled.queued > 0) {
        group = group.concat(await claimFresh(db, clock.now(), room - group.length, key));
      }
    }
    return group;
  };
  /**
   * The next group to send, screened against the suppression list. A group whose every
   * delivery was suppressed is settled already: look again, so it never reads as "nothing
   * left to send".
   */
  const next = async (room: number): Promise<ScreenedGroup> => {
    for (;;) {
      const claimed = await claim(room);
      const group = await screenGroup(db.$client, claimed, summary);
      if (group.items.length > 0 || claimed.length === 0 || clock.now() >= deadline) return group;
    }
  };
  /** Prepares a group, noting how many outcomes were in when it started looking. */
  const prepare = (room: number) => {
    const settledAtStart = settled;
    return next(room).then((group) => ({ group, settledAtStart }));
  };
  type Prepared = Awaited<ReturnType<typeof prepare>>;
  // Groups are prepared ahead, AHEAD at a time, while earlier ones wait for their slots and
  // go out: claiming and queueing (D1 round trips, D1's own work) overlap the pacing and the
  // sending. Each prepared group holds a reservation of its room against MAX_PER_RUN.
  const ahead: { room: number; prepared: Promise<Prepared> }[] = [];
  let reserved = 0;
  const roomAfter = (count: number) =>
    Math.min(MAX_BATCH, (limits.maxPerRun ?? Number.POSITIVE_INFINITY) - count);
  const fill = () => {
    while (ahead.length < AHEAD) {
      const room = roomAfter(emails + reserved);
      if (room <= 0) return;
      reserved += room;
      ahead.push({ room, prepared: prepare(room) });
    }
  };
  for (;;) {
    if (pacer.nextStart() >= deadline || clock.now() >= deadline) {
      stopped = "budget";
      break;
    }
    fill();
    const head = ahead.shift();
    if (head === undefined) {
      stopped = "cap";
      break;
    }
    reserved -= head.room;
    const { group, settledAtStart } = await head.prepared;
    if (group.items.length === 0) {
      // This one found nothing; the others prepared meanwhile may still hold something
      // (a retry batch that came due). If none does, nothing is claimable now.
      const rest = await Promise.all(ahead.map((a) => a.prepared));
      const found = ahead.filter((_, i) => (rest[i]?.group.items.length ?? 0) > 0);
      ahead.length = 0;
      ahead.push(...found);
      reserved = found.reduce((sum, a) => sum + a.room, 0);
      if (found.length > 0) continue;
      // Requests still out may yet come back split (a batch refused whole) or refused with
      // 429, due again now or shortly: look again once they are in, and wait for a 429's
      // retry-after while the budget allows.
      if (inFlight.size > 0) {
        await Promise.all(inFlight);
        continue;
      }
      if (settled !== settledAtStart) continue;
      if (retryAt !== null && retryAt < deadline) {
        const wait = retryAt - clock.now();
        retryAt = null;
        if (wait > 0) await clock.sleep(wait);
        continue;
      }
      break;
    }
    emails += group.items.length;
    fill();
    await pacer.take();
    const sending = sendGroup(db, mailer, group, clock.now(), summary).then(
      (r) => {
        settled += 1;
        if (!r.rateLimited) return pacer.succeeded();
        pacer.rateLimited(r.retryAfterMs);
        if (r.retryAt !== null) retryAt = Math.min(retryAt ?? r.retryAt, r.retryAt);
      },
      // Recording the outcome failed (D1): the rows stay claimed until their lease ends,
      // then go again with the same key, so nothing is lost or sent twice. Keep sending.
      (e: unknown) => {
        settled += 1;
        console.error(
          JSON.stringify({ event: "send-error", message: e instanceof Error ? e.message : e }),
        );
      },
    );
    const tracked = sending.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
  }
  // Groups prepared for slots past the budget go back, due again at once.
  for (const a of ahead)
    await unclaim(
      db,
      rowsOf((await a.prepared).group).map((r) => r.id),
    );
  await Promise.all(inFlight);
  return { deliveries: summary, stopped };
}
