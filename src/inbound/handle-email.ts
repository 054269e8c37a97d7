import { runBatch } from "../db/client";
import { alreadyHandled, noteInbound, recordInbound } from "../db/inbound";
import type { UserRow } from "../db/schema";
import { verifiedSender } from "../db/users";
import { type Route, routeRecipient } from "../domain/address";
import { sha256Hex } from "../domain/signing";
import { answer } from "./answers";
import {
  type Action,
  type InboundDeps,
  type InboundOutcome,
  type Incoming,
  inboundRecord,
} from "./context";
import { ancestorIds, threadByAncestors } from "./conversation";
import { automatedReason } from "./loop-guard";
import { type ParseError, parseInbound } from "./parse";
import { readRawPrefix } from "./read-raw";
import { handleReply, noteForeignReply, resolveReplyTarget } from "./reply";
import { contactReplied, track } from "./track";

/** The envelope and raw stream of one inbound delivery (a ForwardableEmailMessage's shape). */
export interface RawDelivery {
  from: string;
  to: string;
  raw: ReadableStream<Uint8Array>;
}

/**
 * Handles one inbound email: size guard, parse, loop rules, sender, route, act. Returns
 * what happened; expected failures are values, so only bugs and storage faults throw
 * (and a throw becomes a temporary SMTP failure: the sender's server retries).
 */
export async function handleEmail(
  delivery: RawDelivery,
  deps: InboundDeps,
): Promise<InboundOutcome> {
  const raw = await readRawPrefix(delivery.raw);
  const parsed = await parseInbound(raw.bytes);
  if (!parsed.ok) return { kind: "rejected", reason: describeParseError(parsed.error) };
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
  const { db, config, now } = deps;
  if (await alreadyHandled(db, inc.deliveryKey)) return { kind: "duplicate" };

  const loop = automatedReason(msg, delivery.from, config.fromEmail);
  if (loop !== null) {
    // Never answered, but kept on record: nothing vanishes without a trace.
    await noteInbound(
      db,
      inboundRecord(inc, now, {
        outcome: "ignored:automated",
        userId: null,
        threadId: null,
        detail: loop,
      }),
    );
    return { kind: "ignored", reason: loop };
  }

  const route = routeRecipient(delivery.to, config.mailDomain);
  const user = await verifiedSender(
    db,
    msg.from.address,
    config.owners,
    config.defaultTimeZone,
    now,
  );
  // A contact's reply (reply-all on a CC'd outreach) names a Message-ID Sprout knows and
  // comes from someone other than its owner: it marks that thread replied, quietly.
  // Sprout never writes to a contact.
  if (route.kind !== "reply") {
    const known = await threadByAncestors(db, ancestorIds(msg));
    if (known !== null && known.userId !== user?.id) {
      return commit(deps, inc, known.userId, contactReplied(deps, known, "detected"));
    }
  }
  if (route.kind === "reply") {
    const target = await resolveReplyTarget(deps, route);
    if (!target.ok) return { kind: "rejected", reason: target.reason };
    if (user === null || user.id !== target.thread.userId) {
      return { kind: "rejected", reason: await noteForeignReply(deps, target.thread, inc) };
    }
    return commit(deps, inc, user.id, await handleReply(deps, user, inc, target.thread));
  }
  if (user === null) {
    return {
      kind: "rejected",
      reason: `Sprout only accepts mail from its users, and ${msg.from.address} is not one. Ask the person who runs this Sprout to add you.`,
    };
  }
  try {
    return await act(deps, user, inc, route);
  } catch (e) {
    if (await alreadyHandled(db, inc.deliveryKey)) return { kind: "duplicate" };
    // Another copy of the same message (sent to a second Sprout address) may have created
    // the thread meanwhile: acting again now merges into it.
    if (!isConstraintError(e)) throw e;
    return act(deps, user, inc, route);
  }
}

async function act(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  route: Route,
): Promise<InboundOutcome> {
  const { config } = deps;
  switch (route.kind) {
    case "foreign-domain":
      return {
        kind: "rejected",
        reason: `${inc.envelopeTo} is not a Sprout address (Sprout receives mail for ${config.mailDomain}).`,
      };
    case "unknown":
      return {
        kind: "rejected",
        reason: `Sprout has no address "${route.local}@${config.mailDomain}". Use follow@, a time such as 3d@ or tomorrow9am@, every3months@, list@ or help@${config.mailDomain}.`,
      };
    case "help":
    case "list":
    case "login":
      return commit(deps, inc, user.id, await answer(deps, user, inc, route.kind));
    case "reply":
      throw new Error("reply routes are handled before act()");
    case "time":
    case "follow":
    case "every":
      return commit(deps, inc, user.id, await track(deps, user, inc, route));
  }
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
): Promise<InboundOutcome> {
  const record = recordInbound(
    deps.db,
    inboundRecord(inc, deps.now, {
      outcome: action.outcome,
      userId,
      threadId: action.threadId,
      detail: action.detail ?? (inc.truncated ? "truncated" : null),
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

/** A clear sentence for the sending server's bounce. */
export function describeParseError(e: ParseError): string {
  switch (e.kind) {
    case "unparseable":
      return "Sprout could not read this message: it is not a valid email.";
    case "no-from":
      return "Sprout could not tell who sent this message: it has no From header.";
    case "several-from":
      return "Sprout could not tell who sent this message: it has more than one From header.";
    case "bad-from":
      return `Sprout could not tell who sent this message: the From header "${e.value.slice(0, 100)}" holds no usable address.`;
  }
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
