import type { Config } from "../config";
import { claimBudget } from "../db/answer-log";
import { type Db, runBatch } from "../db/client";
import { queueDelivery } from "../db/deliveries";
import { verifiedSender } from "../db/users";
import { answerBudgets } from "../domain/answer-limits";
import { composeEmail } from "../mail/compose";
import { deliverQueued } from "../mail/deliver";
import type { Mailer } from "../mail/mailer";
import { issueLoginLink } from "./login-link";
import { offerSignup } from "./signup-link";

/** What became of a request on the sign-in form; the page says the same thing for each. */
type LoginRequestOutcome = "sent" | "confirmation-sent" | "unknown-address" | "rate-limited";

/**
 * Answers the sign-in form: a one-time sign-in link to a verified user (OWNERS get their
 * account on first use), within the sign-in budget that mail to login@ shares (SPEC 9).
 * An unknown address gets the confirmation email with SIGNUP=open (within its own limits),
 * nothing with SIGNUP=closed; the caller answers every case with the same page.
 */
export async function sendLoginLink(
  db: Db,
  config: Config,
  mailer: Mailer,
  email: string,
  now: number,
): Promise<LoginRequestOutcome> {
  const user = await verifiedSender(db, email, config.owners, config.defaultTimeZone, now);
  if (user === null) {
    if (config.signup === "closed") return "unknown-address";
    const offer = await offerSignup(db, config, email, now);
    if (offer === null) return "rate-limited";
    await runBatch(db, offer.statements);
    await deliverQueued(db, mailer, now, [offer.delivery.id]);
    return "confirmation-sent";
  }
  if (!(await claimBudget(db, answerBudgets("login", user.email), now))) return "rate-limited";
  const link = await issueLoginLink(db, config, user.id, now);
  const id = `login-${link.hash.slice(0, 40)}`;
  await runBatch(db, [
    link.statement,
    queueDelivery(
      db,
      {
        id,
        userId: user.id,
        threadId: null,
        kind: "login",
        email: composeEmail(config, {
          to: user.email,
          rendered: link.rendered,
          autoSubmitted: "auto-generated",
        }),
      },
      now,
    ),
  ]);
  await deliverQueued(db, mailer, now, [id]);
  return "sent";
}
