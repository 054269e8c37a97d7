import type { Config } from "../config";
import { claimBudget } from "../db/answer-log";
import type { Db, Statement } from "../db/client";
import { type NewDelivery, queueDelivery } from "../db/deliveries";
import { heldTotals, insertSignupLink, newSignupToken } from "../db/signup";
import { answerBudgets } from "../domain/answer-limits";
import { SIGNUP_LINK_TTL_MS } from "../domain/signup";
import { composeEmail } from "../mail/compose";
import { renderSignup } from "../mail/templates/signup";

/** A confirmation email ready to commit: the link's row and the queued delivery. */
interface SignupOffer {
  statements: Statement[];
  delivery: NewDelivery;
}

/**
 * The confirmation email for a new address (SPEC section 6), within its limits: at most
 * one per address a day and SIGNUPS_PER_HOUR per deployment. Null past a limit: the caller
 * stays silent. Commit `statements` together, then send `delivery`.
 */
export async function offerSignup(
  db: Db,
  config: Config,
  email: string,
  now: number,
): Promise<SignupOffer | null> {
  if (!(await claimBudget(db, answerBudgets("signup", email), now))) return null;
  const { token, hash } = await newSignupToken();
  const { messages } = await heldTotals(db, email, now);
  const rendered = renderSignup({
    url: `${config.publicUrl}/signup/confirm?token=${token}`,
    days: SIGNUP_LINK_TTL_MS / 86_400_000,
    mailDomain: config.mailDomain,
    held: messages,
  });
  const delivery: NewDelivery = {
    // The token's hash: a stable, secret-free Idempotency-Key.
    id: `signup-${hash.slice(0, 40)}`,
    userId: null,
    threadId: null,
    kind: "signup",
    email: composeEmail(config, { to: email, rendered, autoSubmitted: "auto-generated" }),
  };
  return {
    statements: [insertSignupLink(db, hash, email, now), queueDelivery(db, delivery, now)],
    delivery,
  };
}
