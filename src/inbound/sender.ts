import type { UserRow } from "../db/schema";
import { findThreadByMessageIds } from "../db/threads";
import { findUserById, findVerifiedUser, verifiedSender } from "../db/users";
import type { Route } from "../domain/address";
import {
  type Action,
  type InboundDeps,
  type InboundOutcome,
  type Incoming,
  passesAuth,
} from "./context";
import { ancestorIds, contactReplied } from "./conversation";
import { holdForSignup } from "./hold";
import type { LoopVerdict } from "./loop-guard";
import { authDetail, commit, ignore, refuse, refuseUnauthenticated } from "./record";
import type { Rejection } from "./rejection";

// Who sent a message to any address but a reply address, and what that lets it do (SPEC
// sections 6 and 9): a user, a contact answering a user, or a stranger who may sign up.

/** Why an address Sprout has no use for is refused, whoever wrote to it. */
export function addressRefusal(
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
export async function fromSender(
  deps: InboundDeps,
  inc: Incoming,
  route: Exclude<Route, { kind: "reply" }>,
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
  // Every other address (tracking, help@, list@, login@) holds their mail as a sign-up.
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
