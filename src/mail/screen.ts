// Every send path honours the suppression list (SPEC section 9): a group of claimed
// deliveries is screened before its request, and sendGroup accepts only a screened group,
// so no path can forget. One lookup per group of up to 100 (a primary-key search per
// distinct recipient), never a query per email.

import { markUnsent } from "../db/deliveries";
import type { DeliveryRow } from "../db/schema";
import { suppressedAmong } from "../db/suppressions";
import type { OutgoingEmail } from "../domain/outgoing";
import type { DeliverySummary } from "./delivery-summary";

/** One claimed delivery and its stored email. */
export interface Claimed {
  row: DeliveryRow;
  email: OutgoingEmail;
}

/**
 * Claimed deliveries checked against the suppression list, with their emails, ready to send.
 * Only screenGroup makes one (the class is not exported, and its private field keeps an
 * object literal from passing for it).
 */
class Screened {
  readonly #items: readonly Claimed[];
  constructor(items: readonly Claimed[]) {
    this.#items = items;
  }
  get items(): readonly Claimed[] {
    return this.#items;
  }
}
export type ScreenedGroup = Screened;

/** Why a suppressed delivery was not sent, as the web page shows it. */
export const SUPPRESSED_REASON = "not sent: the address was on the suppression list";

/** The stored email of a delivery. */
export function payloadOf(row: DeliveryRow): OutgoingEmail {
  return JSON.parse(row.payload) as OutgoingEmail;
}

/** The stored email of a delivery, or null when it cannot be read (a bug: never sendable). */
function readablePayload(row: DeliveryRow): OutgoingEmail | null {
  try {
    const email: unknown = JSON.parse(row.payload);
    const to = typeof email === "object" && email !== null ? (email as { to?: unknown }).to : null;
    return typeof to === "string" ? (email as OutgoingEmail) : null;
  } catch {
    return null;
  }
}

/** The lower-cased address an email goes to (Sprout writes each to one bare address). */
function recipientOf(email: OutgoingEmail): string {
  const angle = /<([^<>]*)>\s*$/.exec(email.to);
  return (angle?.[1] ?? email.to).trim().toLowerCase();
}

const group = (items: Claimed[]): ScreenedGroup => new Screened(items);

/** The rows of a screened group. */
export function rowsOf(g: ScreenedGroup): DeliveryRow[] {
  return g.items.map((c) => c.row);
}

/**
 * Screens a claimed group: deliveries to a suppressed address become `suppressed` (counted
 * in `summary`) and leave the group. Exception: a group whose Idempotency-Key was already
 * used in a request (a retry) goes out whole or not at all, because the same key with other
 * emails would be a different request (Resend refuses that, or, if the first attempt did get
 * through, answers from its store); so unless every one of its recipients is suppressed, it
 * is sent as it was. Such a suppression arrived between two attempts of one request.
 * A delivery whose stored email cannot be read fails here (no attempt could succeed).
 */
export async function screenGroup(
  d1: D1Database,
  rows: DeliveryRow[],
  summary: DeliverySummary,
): Promise<ScreenedGroup> {
  const items: Claimed[] = [];
  const unreadable: string[] = [];
  for (const row of rows) {
    const email = readablePayload(row);
    if (email === null) unreadable.push(row.id);
    else items.push({ row, email });
  }
  const writes: D1PreparedStatement[] = [];
  if (unreadable.length > 0) {
    writes.push(markUnsent(d1, unreadable, "failed", "the stored email could not be read"));
    summary.failed += unreadable.length;
  }
  const suppressed = await suppressedAmong(d1, [
    ...new Set(items.map((c) => recipientOf(c.email))),
  ]);
  const isHit = (c: Claimed) => suppressed.has(recipientOf(c.email));
  const hit = items.filter(isHit);
  const keyUsed = rows.some((r) => r.attempts > 1);
  const kept = keyUsed && hit.length < items.length ? items : items.filter((c) => !isHit(c));
  if (kept.length < items.length) {
    writes.push(
      markUnsent(
        d1,
        hit.map((c) => c.row.id),
        "suppressed",
        SUPPRESSED_REASON,
      ),
    );
    summary.suppressed += hit.length;
  }
  if (writes.length > 0) await d1.batch(writes);
  return group(kept);
}
