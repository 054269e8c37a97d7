import { runBatch } from "../db/client";
import { alreadyHandled, noteInbound, recordInbound } from "../db/inbound";
import type { UserRow } from "../db/schema";
import { findThreadByMessageIds } from "../db/threads";
import { findUserById, findVerifiedUser, verifiedSender } from "../db/users";
import { type Route, routeRecipient } from "../domain/address";
import { singleFromMailbox } from "../domain/from-mailbox";
import { headerText, readHeaders } from "../domain/raw-headers";
import { senderAuth } from "../domain/sender-auth";
import { sha256Hex } from "../domain/signing";
import { holdsForSignup } from "../domain/signup";
import { answer } from "./answers";
import {
  type Action,
  type AuthVerdict,
  type InboundDeps,
  type InboundOutcome,
  type Incoming,
  inboundRecord,
  outcomeLabel,
  passesAuth,
} from "./context";
import { ancestorIds, contactReplied } from "./conversation";
import { holdForSignup } from "./hold";
import { type LoopVerdict, loopVerdict } from "./loop-guard";
import { headerSizeError, parseInbound } from "./parse";
import { readRawPrefix } from "./read-raw";
import { type Rejection, rejectionLabel } from "./rejection";
import { handleReply, noteForeignReply, resolveReplyTarget } from "./reply";
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

/** Why an address Sprout has no use for is refused, whoever wrote to it. */
function addressRefusal(
  route: Extract<Route, { kind: "unknown" | "foreign-domain" }>,
  inc: Incoming,
): Rejection {
  return route.kind === "unknown"
    ? { kind: "unknown-address", local: route.local }
    : { kind: "foreign-domain", envelopeTo: inc.envelopeTo };
}

/**
 * Acts for the user who sent the message, once sender authentication vouches for them
 * (SPEC sections 6 and 9). A contact's reply (mail naming a Message-ID of someone else's
 * conversation) is accepted whatever the address and never answered: it marks that thread
 * replied when authenticated, and is only recorded otherwise. Mail from an unknown sender is
 * held as a sign-up with SIGNUP=open (tracking addresses, help@, list@, login@), refused
 * otherwise. Bulk mail from anyone but a user is ignored on the record.
 */
async function fromSender(
  deps: InboundDeps,
  inc: Incoming,
  route: Route,
  bulk: LoopVerdict | null,
  act: (user: UserRow) => Promise<InboundOutcome>,
): Promise<InboundOutcome> {
  const { db, config } = deps;
  const address = inc.msg.from.address;
  const existing = await findVerifiedUser(db, address);
  if (bulk !== null) {
    if (existing === null && !config.owners.has(address)) return ignore(deps, inc, bulk.reason);
    if (!passesAuth(inc.auth)) return refuseUnauthenticated(deps, inc);
    return act(existing ?? (await ownerAccount(deps, address)) ?? missingOwner(address));
  }
  const known = await findThreadByMessageIds(db, ancestorIds(inc.msg));
  if (known !== null && known.userId !== existing?.id) {
    const owner = await findUserById(db, known.userId);
    if (owner !== null) {
      if (passesAuth(inc.auth)) {
        return commit(deps, inc, owner.id, contactReplied(deps, owner, known), null);
      }
      // Accepted all the same: a refusal would bounce to the contact for the owner's Cc.
      const recorded: Action = {
        outcome: { kind: "contact-reply", via: "detected", verified: false },
        threadId: known.id,
        statements: [],
        deliveries: [],
        detail: authDetail(inc.auth),
      };
      return commit(deps, inc, owner.id, recorded, null);
    }
  }
  if (!passesAuth(inc.auth)) return refuseUnauthenticated(deps, inc);
  const user = existing ?? (await ownerAccount(deps, address));
  if (user !== null) return act(user);
  if (config.signup === "closed") return refuse(deps, inc, { kind: "not-a-user", address });
  // With sign-up open, a stranger may become a user: tell them what the address lacks.
  if (route.kind === "unknown" || route.kind === "foreign-domain") {
    return refuse(deps, inc, addressRefusal(route, inc));
  }
  if (!holdsForSignup(route)) return refuse(deps, inc, { kind: "not-a-user", address });
  const held = await holdForSignup(deps, inc);
  switch (held.kind) {
    case "held":
      return commit(deps, inc, null, held.action, null);
    case "full":
      return refuse(deps, inc, held.rejection);
  }
}

/** The account of an OWNERS address, created on first use; null for anyone else. */
async function ownerAccount(deps: InboundDeps, address: string): Promise<UserRow | null> {
  const { db, config, now } = deps;
  if (!config.owners.has(address)) return null;
  return verifiedSender(db, address, config.owners, config.defaultTimeZone, now);
}

function missingOwner(address: string): never {
  throw new Error(`the account of ${address} could not be created`);
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

/**
 * Refuses a message in-session, and records it: the verdict of sender authentication (and
 * every other reason) stays visible in the inbound table. The record's key is not the
 * delivery's, so a refused delivery never counts as handled.
 */
async function refuse(
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

function refuseUnauthenticated(deps: InboundDeps, inc: Incoming): Promise<InboundOutcome> {
  if (inc.auth.kind !== "unauthenticated") throw new Error("refused an authenticated message");
  return refuse(deps, inc, {
    kind: "unauthenticated",
    address: inc.msg.from.address,
    verdict: inc.auth,
  });
}

/** The verdict as the inbound table keeps it: the reason and what the stamp said. */
function authDetail(auth: AuthVerdict): string | undefined {
  return auth.kind === "unauthenticated" ? `${auth.reason}: ${auth.description}` : undefined;
}

/** Records a message that gets no answer of any kind: nothing vanishes without a trace. */
async function ignore(deps: InboundDeps, inc: Incoming, reason: string): Promise<InboundOutcome> {
  await noteInbound(
    deps.db,
    inboundRecord(inc, deps.now, {
      outcome: "ignored:automated",
      userId: null,
      threadId: null,
      detail: reason,
    }),
  );
  return { kind: "ignored", reason };
}

/**
 * Commits everything an action changed together with the inbound row: a racing copy of
 * this delivery fails on that row's primary key and the whole batch rolls back.
 */
async function commit(
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
