import type { Config } from "../config";
import { type Db, runBatch } from "../db/client";
import type { TokenError } from "../db/login-tokens";
import { checkSignupLink, consumeSignupLink, forgetPending } from "../db/signup";
import { confirmedUser } from "../db/users";
import { ok, type Result } from "../domain/result";
import { processHeld } from "../inbound/held";
import type { Mailer } from "../mail/mailer";

/** A confirmed address: its user, and the mail that processing its held messages queued. */
interface Confirmed {
  userId: string;
  processed: number;
  deliveryIds: string[];
}

/**
 * Confirms an address with its link (SPEC section 6): creates the verified user with the
 * default settings and processes its held mail, in arrival order, before answering. The
 * token is used last, so a storage fault halfway leaves a link that still works; processing
 * is idempotent, so a racing second request processes nothing twice, and only one of them
 * uses the token (one conditional UPDATE).
 */
export async function confirmSignup(
  deps: { db: Db; config: Config; mailer: Mailer },
  token: string,
  now: number,
): Promise<Result<Confirmed, TokenError>> {
  const { db, config } = deps;
  const check = await checkSignupLink(db, token, now);
  if (!check.ok) return check;
  const email = check.value;
  const user = await confirmedUser(db, email, config.defaultTimeZone, now);
  const held = await processHeld(deps, email, now);
  const used = await consumeSignupLink(db, token, now);
  if (!used.ok) return used;
  // Nothing is pending for the address any more: its other links and any expired holds go.
  await runBatch(db, forgetPending(db, email));
  return ok({ userId: user.id, processed: held.outcomes.length, deliveryIds: held.deliveryIds });
}
