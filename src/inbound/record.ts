import { runBatch } from "../db/client";
import { noteInbound, recordInbound } from "../db/inbound";
import { routeRecipient } from "../domain/address";
import { verifyReplyAddress } from "../domain/reply-address";
import {
  type Action,
  type AuthVerdict,
  type InboundDeps,
  type InboundOutcome,
  type Incoming,
  inboundRecord,
  outcomeLabel,
} from "./context";
import type { LoopVerdict } from "./loop-guard";
import { type Rejection, rejectionLabel } from "./rejection";

// The three ways the email handler ends, each with its inbound row: commit (acted on),
// refuse (rejected in-session) and ignore (accepted, no answer of any kind).

/**
 * Refuses a message in-session, and records it: the verdict of sender authentication (and
 * every other reason) stays visible in the inbound table. The record's key is not the
 * delivery's, so a refused delivery never counts as handled.
 */
export async function refuse(
  deps: InboundDeps,
  inc: Incoming,
  rejection: Rejection,
): Promise<InboundOutcome> {
  await noteInbound(deps.db, {
    ...inboundRecord(inc, deps.now, {
      outcome: rejectionLabel(rejection),
      userId: null,
      threadId: null,
      detail: rejection.kind === "unauthenticated" ? authDetail(inc.auth) : null,
    }),
    id: `${inc.deliveryKey}:rejected`,
  });
  return { kind: "rejected", rejection };
}

/** Refuses a message whose sender authentication failed, with the verdict. */
export function refuseUnauthenticated(deps: InboundDeps, inc: Incoming): Promise<InboundOutcome> {
  if (inc.auth.kind !== "unauthenticated") throw new Error("refused an authenticated message");
  return refuse(deps, inc, {
    kind: "unauthenticated",
    address: inc.msg.from.address,
    verdict: inc.auth,
  });
}

/** The verdict as the inbound table keeps it: the reason and what the stamp said. */
export function authDetail(auth: AuthVerdict): string | undefined {
  return auth.kind === "unauthenticated" ? `${auth.reason}: ${auth.description}` : undefined;
}

/** Records a message that gets no answer of any kind: nothing vanishes without a trace. */
export async function ignore(
  deps: InboundDeps,
  inc: Incoming,
  reason: string,
): Promise<InboundOutcome> {
  await noteInbound(
    deps.db,
    inboundRecord(inc, deps.now, {
      outcome: "ignored:automated",
      userId: null,
      threadId: await replyAddressThread(deps, inc),
      detail: reason,
    }),
  );
  return { kind: "ignored", reason };
}

/**
 * The thread whose valid reply address the message went to, or null: an auto-reply to a
 * reminder is about that thread, and account delete finds the record through it.
 */
async function replyAddressThread(deps: InboundDeps, inc: Incoming): Promise<string | null> {
  const route = routeRecipient(inc.envelopeTo, deps.config.mailDomain);
  if (route.kind !== "reply") return null;
  const { signingSecret } = deps.config;
  const valid = await verifyReplyAddress(signingSecret, route.threadId, route.signature);
  return valid ? route.threadId : null;
}

/**
 * Commits everything an action changed together with the inbound row: a racing copy of
 * this delivery fails on that row's primary key and the whole batch rolls back.
 */
export async function commit(
  deps: InboundDeps,
  inc: Incoming,
  userId: string | null,
  action: Action,
  bulk: LoopVerdict | null,
): Promise<InboundOutcome> {
  const record = recordInbound(
    deps.db,
    inboundRecord(inc, deps.now, {
      outcome: outcomeLabel(action.outcome),
      userId,
      threadId: action.threadId,
      detail: action.detail ?? bulk?.reason ?? (inc.truncated ? "truncated" : null),
    }),
  );
  await runBatch(deps.db, [...action.statements, record]);
  return {
    kind: "handled",
    outcome: action.outcome,
    threadId: action.threadId,
    deliveryIds: action.deliveries.map((d) => d.id),
  };
}
