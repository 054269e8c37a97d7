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
import { automatedReason } from "./loop-guard";
import { type ParseError, parseInbound } from "./parse";
import { readRawPrefix } from "./read-raw";
import { handleReply } from "./reply";
import { track } from "./track";

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

  const user = await verifiedSender(
    db,
    msg.from.address,
    config.owners,
    config.defaultTimeZone,
    now,
  );
  if (user === null) {
    return {
      kind: "rejected",
      reason: `Sprout only accepts mail from its users, and ${msg.from.address} is not one. Ask the person who runs this Sprout to add you.`,
    };
  }

  const route = routeRecipient(delivery.to, config.mailDomain);
  try {
    return await actAndCommit(deps, user, inc, route);
  } catch (e) {
    if (await alreadyHandled(db, inc.deliveryKey)) return { kind: "duplicate" };
    // Another copy of the same message (sent to a second Sprout address) may have created
    // the thread meanwhile: acting again now merges into it.
    if (!isConstraintError(e)) throw e;
    return actAndCommit(deps, user, inc, route);
  }
}

async function actAndCommit(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  route: Route,
): Promise<InboundOutcome> {
  const { db, config, now } = deps;
  let action: Action;
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
      action = await answer(deps, user, inc, route.kind);
      break;
    case "reply": {
      const result = await handleReply(deps, user, inc, route);
      if (!result.ok) return { kind: "rejected", reason: result.reason };
      action = result.action;
      break;
    }
    case "time":
    case "follow":
    case "every":
      action = await track(deps, user, inc, route);
      break;
  }
  // The inbound row goes in the same batch as everything the message changed: a racing
  // copy of this delivery fails on its primary key and the whole batch rolls back.
  const record = recordInbound(
    db,
    inboundRecord(inc, now, {
      outcome: action.outcome,
      userId: user.id,
      threadId: action.threadId,
      detail: action.detail ?? (inc.truncated ? "truncated" : null),
    }),
  );
  await runBatch(db, [...action.statements, record]);
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
