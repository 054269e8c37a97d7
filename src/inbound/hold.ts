import { offerSignup } from "../auth/signup-link";
import { holdMessage } from "../db/signup";
import type { Action, InboundDeps, Incoming } from "./context";
import type { Rejection } from "./rejection";

/** What holding a message came to: kept (an action to commit), or over the caps. */
type HoldOutcome = { kind: "held"; action: Action } | { kind: "full"; rejection: Rejection };

/**
 * SPEC section 6, SIGNUP=open: mail from an unknown, authenticated sender is kept whole until
 * the address is confirmed (at most 20 messages and 5 MiB), and the sender gets the one
 * email a pending address ever receives: the confirmation, at most once a day (and
 * SIGNUPS_PER_HOUR a deployment). Past that limit the message is still held, in silence.
 */
export async function holdForSignup(deps: InboundDeps, inc: Incoming): Promise<HoldOutcome> {
  const { db, config, now } = deps;
  const email = inc.msg.from.address;
  const held = await holdMessage(
    db,
    {
      id: inc.deliveryKey,
      email,
      envelopeFrom: inc.envelopeFrom.slice(0, 320),
      envelopeTo: inc.envelopeTo.slice(0, 320),
      raw: inc.raw,
      truncated: inc.truncated,
      receivedAt: now,
    },
    now,
  );
  if (held.kind === "full") {
    return {
      kind: "full",
      rejection: { kind: "hold-full", address: email, messages: held.messages, bytes: held.bytes },
    };
  }
  // "duplicate" means an earlier attempt at this delivery held it and then failed before
  // recording it (the inbound row decides what was handled): finish the job now.
  const offer = await offerSignup(db, config, email, now);
  return {
    kind: "held",
    action: {
      outcome: { kind: "held", answer: offer === null ? "rate-limited" : "sent" },
      threadId: null,
      statements: offer?.statements ?? [],
      deliveries: offer === null ? [] : [offer.delivery],
    },
  };
}
