import type { Config } from "../config";
import { type Db, runBatch } from "../db/client";
import type { TokenError } from "../db/login-tokens";
import { checkSignupLink, consumeSignupLink, forgetPending } from "../db/signup";
import { confirmedUser, findVerifiedUser } from "../db/users";
import { err, ok, type Result } from "../domain/result";
import type { Mailer } from "../mail/mailer";
import { processHeld } from "./held";

/** Why a confirmation link confirms nothing: the token, or sign-up closed since it was sent. */
export type ConfirmError = TokenError | { kind: "signup-closed" };

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
): Promise<Result<Confirmed, ConfirmError>> {
  const { db, config } = deps;
  const check = await checkSignupLink(db, token, now);
  if (!check.ok) return check;
  const email = check.value;
  // SIGNUP=closed since the link went out: no new account (an existing one still signs in).
  if (!(await mayConfirm(deps, email))) return err({ kind: "signup-closed" });
  const user = await confirmedUser(db, email, config.defaultTimeZone, now);
  const held = await processHeld(deps, email, now);
  const used = await consumeSignupLink(db, token, now);
  if (!used.ok) return used;
  // Nothing is pending for the address any more: its other links and any expired holds go.
  await runBatch(db, forgetPending(db, email));
  return ok({ userId: user.id, processed: held.outcomes.length, deliveryIds: held.deliveryIds });
}

/** Whether an address may be confirmed now: sign-up is open, or it is a user or an owner. */
export async function mayConfirm(
  deps: { db: Db; config: Config },
  email: string,
): Promise<boolean> {
  const { db, config } = deps;
  if (config.signup === "open" || config.owners.has(email)) return true;
  return (await findVerifiedUser(db, email)) !== null;
}
