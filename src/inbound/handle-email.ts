import { alreadyHandled } from "../db/inbound";
import { verifiedSender } from "../db/users";
import { type Route, routeRecipient } from "../domain/address";
import { singleFromMailbox } from "../domain/from-mailbox";
import { headerText, readHeaders } from "../domain/raw-headers";
import { senderAuth } from "../domain/sender-auth";
import { sha256Hex } from "../domain/signing";
import { answer } from "./answers";
import {
  type AuthVerdict,
  type InboundDeps,
  type InboundOutcome,
  type Incoming,
  passesAuth,
} from "./context";
import { type LoopVerdict, loopVerdict } from "./loop-guard";
import { headerSizeError, parseInbound } from "./parse";
import { readRawPrefix } from "./read-raw";
import { commit, ignore, refuse, refuseUnauthenticated } from "./record";
import { handleReply, noteForeignReply, resolveReplyTarget } from "./reply";
import { addressRefusal, fromSender } from "./sender";
import { track } from "./track";

/** The envelope and raw stream of one inbound delivery (a ForwardableEmailMessage's shape). */
interface RawDelivery {
  from: string;
  to: string;
  raw: ReadableStream<Uint8Array>;
}

/** A message held for a sign-up, processed once its sender confirmed (inbound/held.ts). */
export interface HeldDelivery {
  id: string;
  envelopeFrom: string;
  envelopeTo: string;
  raw: Uint8Array;
  truncated: boolean;
}

/** One delivery's bytes, as read from the stream or from a hold. */
interface ReadDelivery {
  from: string;
  to: string;
  bytes: Uint8Array;
  truncated: boolean;
  heldId: string | null;
}

/**
 * Handles one inbound email: size guard, From check, parse, sender authentication, loop
 * rules, route, sender, act. Returns what happened; expected failures are values, so only
 * bugs and storage faults throw (and a throw becomes a temporary SMTP failure: the sender's
 * server retries).
 */
export async function handleEmail(
  delivery: RawDelivery,
  deps: InboundDeps,
): Promise<InboundOutcome> {
  const raw = await readRawPrefix(delivery.raw);
  return handleBytes(
    {
      from: delivery.from,
      to: delivery.to,
      bytes: raw.bytes,
      truncated: raw.truncated,
      heldId: null,
    },
    deps,
  );
}

/**
 * Handles a held message as though it arrived at `deps.now` (its arrival time) from a user:
 * the same path as live mail, under a delivery key of its own, so it is processed once.
 */
export function handleHeld(held: HeldDelivery, deps: InboundDeps): Promise<InboundOutcome> {
  return handleBytes(
    {
      from: held.envelopeFrom,
      to: held.envelopeTo,
      bytes: held.raw,
      truncated: held.truncated,
      heldId: held.id,
    },
    deps,
  );
}

async function handleBytes(delivery: ReadDelivery, deps: InboundDeps): Promise<InboundOutcome> {
  // A header section over 64 KB is refused before anything reads it.
  const tooLarge = headerSizeError(delivery.bytes);
  if (tooLarge !== null) return { kind: "rejected", rejection: tooLarge };
  // SPEC 9: exactly one mailbox in From, read on the raw header before anything else acts
  // (postal-mime keeps only the first address of a list).
  const headers = readHeaders(headerText(delivery.bytes));
  const from = singleFromMailbox(headers);
  if (!from.ok) {
    const value = headers.find((h) => h.key === "from")?.value ?? "";
    return { kind: "rejected", rejection: { kind: "from-header", problem: from.error, value } };
  }
  const parsed = await parseInbound(delivery.bytes);
  if (!parsed.ok) return { kind: "rejected", rejection: parsed.error };
  const msg = parsed.value;
  // The raw reader and postal-mime must name the same sender: identity, authentication and
  // everything else then speak of one address (a parser differential would split them).
  if (msg.from.address !== from.value.address) {
    const value = headers.find((h) => h.key === "from")?.value ?? "";
    return { kind: "rejected", rejection: { kind: "bad-from", value: value.slice(0, 200) } };
  }
  const auth: AuthVerdict =
    deps.config.senderAuth === "off" ? { kind: "off" } : senderAuth(headers, from.value.address);
  const messageId = msg.messageId ?? (await syntheticMessageId(msg, deps.config.mailDomain));
  const key = await sha256Hex(
    `${messageId}\n${delivery.from.toLowerCase()}\n${delivery.to.toLowerCase()}`,
  );
  const inc: Incoming = {
    envelopeFrom: delivery.from,
    envelopeTo: delivery.to,
    msg,
    raw: delivery.bytes,
    auth,
    heldId: delivery.heldId,
    messageId,
    // A held message keeps its own key for the hold; processing it is a delivery of its own.
    deliveryKey: delivery.heldId === null ? key : `${delivery.heldId}:confirmed`,
    truncated: delivery.truncated,
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
      return fromSender(deps, inc, route, bulk, async (user) => {
        const tracked = await track(deps, user, inc, route, bulk !== null);
        if (!tracked.ok) return refuse(deps, inc, tracked.error);
        return commit(deps, inc, user.id, tracked.value, bulk);
      });
    case "help":
    case "list":
    case "login":
      if (bulk !== null) return ignore(deps, inc, bulk.reason);
      return fromSender(deps, inc, route, null, async (user) =>
        commit(deps, inc, user.id, await answer(deps, user, inc, route.kind), null),
      );
    case "reply":
      if (bulk !== null) return ignore(deps, inc, bulk.reason);
      return replyCommand(deps, inc, route);
    case "unknown":
    case "foreign-domain":
      if (bulk !== null) return ignore(deps, inc, bulk.reason);
      return fromSender(deps, inc, route, null, async () =>
        refuse(deps, inc, addressRefusal(route, inc)),
      );
  }
}

/** A reply to a thread's signed address: a command from its owner, refused from anyone else. */
async function replyCommand(
  deps: InboundDeps,
  inc: Incoming,
  route: Extract<Route, { kind: "reply" }>,
): Promise<InboundOutcome> {
  const target = await resolveReplyTarget(deps, route);
  if (!target.ok) return refuse(deps, inc, target.error);
  const thread = target.value;
  // A forged command never reaches the thread, nor the owner's inbox as a notice.
  if (!passesAuth(inc.auth)) return refuseUnauthenticated(deps, inc);
  const { db, config, now } = deps;
  const user = await verifiedSender(
    db,
    inc.msg.from.address,
    config.owners,
    config.defaultTimeZone,
    now,
  );
  if (user === null || user.id !== thread.userId) {
    return refuse(deps, inc, await noteForeignReply(deps, thread, inc));
  }
  return commit(deps, inc, user.id, await handleReply(deps, user, inc, thread), null);
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
