import { runBatch } from "../db/client";
import { deleteHold, heldIds, heldMessage } from "../db/signup";
import type { InboundDeps, InboundOutcome } from "./context";
import { handleHeld } from "./handle-email";

/** What processing an address's held mail did. */
export interface HeldSummary {
  /** Outcome kinds, in arrival order. */
  outcomes: InboundOutcome["kind"][];
  /** Mail the processing queued (help answers, time-error replies), to send now. */
  deliveryIds: string[];
}

/**
 * Processes the mail held for a newly confirmed address (SPEC section 6), in arrival order,
 * each exactly as if it had arrived then from a user: its arrival time is its sent time and
 * "now" for the time grammar. One message at a time (a hold is up to 1 MiB); each is deleted
 * once processed. Processing is idempotent (each has a delivery key of its own), so two
 * confirmations racing each other process every message once.
 */
export async function processHeld(
  deps: Omit<InboundDeps, "now">,
  email: string,
  now: number,
): Promise<HeldSummary> {
  const summary: HeldSummary = { outcomes: [], deliveryIds: [] };
  for (const { id } of await heldIds(deps.db, email, now)) {
    const held = await heldMessage(deps.db, id);
    // Gone: processed by a confirmation racing this one.
    if (held === null) continue;
    const outcome = await handleHeld(held, { ...deps, now: held.receivedAt });
    summary.outcomes.push(outcome.kind);
    if (outcome.kind === "handled") summary.deliveryIds.push(...outcome.deliveryIds);
    await runBatch(deps.db, [deleteHold(deps.db, id)]);
  }
  return summary;
}
