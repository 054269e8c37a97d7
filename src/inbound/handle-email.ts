import { runBatch } from "../db/client";
import { alreadyHandled, noteInbound, recordInbound } from "../db/inbound";
import type { UserRow } from "../db/schema";
import { findThreadByMessageIds } from "../db/threads";
import { findUserById, verifiedSender } from "../db/users";
import { type Route, routeRecipient } from "../domain/address";
import { verifyReplyAddress } from "../domain/reply-address";
import { sha256Hex } from "../domain/signing";
import { answer } from "./answers";
import {
  type Action,
  type InboundDeps,
  type InboundOutcome,
  type Incoming,
  inboundRecord,
  outcomeLabel,
} from "./context";
import { ancestorIds, contactReplied } from "./conversation";
import { type LoopVerdict, loopVerdict } from "./loop-guard";
import { parseInbound } from "./parse";
import { readRawPrefix } from "./read-raw";
import type { Rejection } from "./rejection";
import { handleReply, noteForeignReply, resolveReplyTarget } from "./reply";
import { track } from "./track";

/** The envelope and raw stream of one inbound delivery (a ForwardableEmailMessage's shape). */
interface RawDelivery {
  from: string;
  to: string;
  raw: ReadableStream<Uint8Array>;
}

/**
 * Handles one inbound email: size guard, parse, loop rules, route, sender, act. Returns
 * what happened; expected failures are values, so only bugs and storage faults throw
 * (and a throw becomes a temporary SMTP failure: the sender's server retries).
 */
export async function handleEmail(
  delivery: RawDelivery,
  deps: InboundDeps,
): Promise<InboundOutcome> {
  const raw = await readRawPrefix(delivery.raw);
  const parsed = await parseInbound(raw.bytes);
  if (!parsed.ok) return { kind: "rejected", rejection: parsed.error };
  const msg = parsed.value;
  const messageId = msg.messageId ?? (await syntheticMessageId(msg, deps.config.mailDomain));
  const inc: Incoming = {
    envelopeFrom: delivery.from,
    envelopeTo: delivery.to,
    msg,
    messageId,
    deliveryKey: await sha256Hex(
      `${messageId}\n${delivery.from.toLowerCase()}\n${delivery.to.toLowerCase()}`,
    ),
    truncated: raw.truncated,
  };
  if (await alreadyHandled(deps.db, inc.deliveryKey)) return { kind: "duplicate" };
  const verdict = loopVerdict(msg, delivery.from, deps.config.fromEmail);
  // Auto-replies, bounces and daemons are never acted on, whatever the address.
  if (verdict?.kind === "automated") return ignore(deps, inc, verdict.reason);
  try {
    return await routeMessage(deps, inc, verdict);
  } catch (e) {
    if (await alreadyHandled(deps.db, inc.deliveryKey)) return { kind: "duplicate" };
    // Another copy of the same message (sent to a second Sprout address) may have created
    // the thread meanwhile: acting again now merges into it.
    if (!isConstraintError(e)) throw e;
    return routeMessage(deps, inc, verdict);
  }
}

/**
 * Acts on the address the message was sent to (the one switch on the route). Bulk mail
 * (`bulk` set) gets no answer, so only tracking, which answers nothing, accepts it:
 * mail-merge outreach from a verified user is tracked like any other.
 */
async function routeMessage(
  deps: InboundDeps,
  inc: Incoming,
  bulk: LoopVerdict | null,
): Promise<InboundOutcome> {
  const route = routeRecipient(inc.envelopeTo, deps.config.mailDomain);
  switch (route.kind) {
    case "time":
    case "follow":
    case "every":
      return fromUser(deps, inc, bulk, async (user) =>
        commit(deps, inc, user.id, await track(deps, user, inc, route, bulk !== null), bulk),
      );
    case "help":
    case "list":
    case "login":
      if (bulk !== null) return ignore(deps, inc, bulk.reason);
      return fromUser(deps, inc, null, async (user) =>
        commit(deps, inc, user.id, await answer(deps, user, inc, route.kind), null),
      );
    case "reply":
      if (bulk !== null) return ignore(deps, inc, bulk.reason);
      return replyCommand(deps, inc, route);
    case "unknown":
      if (bulk !== null) return ignore(deps, inc, bulk.reason);
      return fromUser(deps, inc, null, async () =>
        rejected({ kind: "unknown-address", local: route.local }),
      );
    case "foreign-domain":
      if (bulk !== null) return ignore(deps, inc, bulk.reason);
      return fromUser(deps, inc, null, async () =>
        rejected({ kind: "foreign-domain", envelopeTo: inc.envelopeTo }),
      );
  }
}

/**
 * Acts for the verified user who sent the message. A contact's reply (reply-all on a Cc'd
 * outreach) names a Message-ID Sprout knows and comes from someone other than its owner:
 * it marks that thread replied, quietly, whatever the address. Sprout never writes to a
 * contact. Bulk mail from anyone but a user is ignored on the record.
 */
async function fromUser(
  deps: InboundDeps,
  inc: Incoming,
  bulk: LoopVerdict | null,
  act: (user: UserRow) => Promise<InboundOutcome>,
): Promise<InboundOutcome> {
  const { db, config, now } = deps;
  const user = await verifiedSender(
    db,
    inc.msg.from.address,
    config.owners,
    config.defaultTimeZone,
    now,
  );
  if (bulk !== null) return user === null ? ignore(deps, inc, bulk.reason) : act(user);
  const known = await findThreadByMessageIds(db, ancestorIds(inc.msg));
  if (known !== null && known.userId !== user?.id) {
    const owner = await findUserById(db, known.userId);
    if (owner !== null) {
      return commit(deps, inc, owner.id, contactReplied(deps, owner, known), null);
    }
  }
  if (user === null) return rejected({ kind: "not-a-user", address: inc.msg.from.address });
  return act(user);
}

/** A reply to a thread's signed address: a command from its owner, refused from anyone else. */
async function replyCommand(
  deps: InboundDeps,
  inc: Incoming,
  route: Extract<Route, { kind: "reply" }>,
): Promise<InboundOutcome> {
  const target = await resolveReplyTarget(deps, route);
  if (!target.ok) return rejected(target.error);
  const thread = target.value;
  const { db, config, now } = deps;
  const user = await verifiedSender(
    db,
    inc.msg.from.address,
    config.owners,
    config.defaultTimeZone,
    now,
  );
  if (user === null || user.id !== thread.userId) {
    return rejected(await noteForeignReply(deps, thread, inc));
  }
  return commit(deps, inc, user.id, await handleReply(deps, user, inc, thread), null);
}

function rejected(rejection: Rejection): InboundOutcome {
  return { kind: "rejected", rejection };
}

/** Records a message that gets no answer of any kind: nothing vanishes without a trace. */
async function ignore(deps: InboundDeps, inc: Incoming, reason: string): Promise<InboundOutcome> {
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
async function commit(
  deps: InboundDeps,
  inc: Incoming,
  userId: string,
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

function isConstraintError(e: unknown): boolean {
  return e instanceof Error && /constraint/i.test(`${e.message} ${String(e.cause ?? "")}`);
}

/** A stable Message-ID for a message that had none, so a redelivery is still recognised. */
async function syntheticMessageId(msg: Incoming["msg"], mailDomain: string): Promise<string> {
  const basis = [
    msg.from.address,
    msg.date ?? "",
    msg.subject ?? "",
    (msg.text ?? msg.html ?? "").slice(0, 4096),
  ];
  return `synthetic-${(await sha256Hex(basis.join("\n"))).slice(0, 32)}@${mailDomain}`;
}
