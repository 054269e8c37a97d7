import type { Config } from "../config";
import { type Db, runBatch } from "../db/client";
import { queueDelivery } from "../db/deliveries";
import { claimNotice } from "../db/events";
import { verifiedSender } from "../db/users";
import { composeEmail } from "../mail/compose";
import { deliverQueued } from "../mail/deliver";
import type { Mailer } from "../mail/mailer";
import { issueLoginLink } from "./login-link";

/** One sign-in email per address per minute, whoever asks. */
const LOGIN_EVERY_MS = 60 * 1000;

/** What became of a request for a sign-in link; the page says the same thing for each. */
type LoginRequestOutcome = "sent" | "unknown-address" | "rate-limited";

/**
 * Mails a one-time sign-in link to a verified user (OWNERS get their account on first use).
 * Unknown addresses get nothing, and the caller answers them exactly like known ones.
 */
export async function sendLoginLink(
  db: Db,
  config: Config,
  mailer: Mailer,
  email: string,
  now: number,
): Promise<LoginRequestOutcome> {
  const user = await verifiedSender(db, email, config.owners, config.defaultTimeZone, now);
  if (user === null) return "unknown-address";
  if (!(await claimNotice(db, `login:${user.email}`, now, LOGIN_EVERY_MS))) return "rate-limited";
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
