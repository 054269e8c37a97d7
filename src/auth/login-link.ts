import type { Config } from "../config";
import type { Db, Statement } from "../db/client";
import { insertLoginToken, LOGIN_TOKEN_TTL_MS, newLoginToken } from "../db/login-tokens";
import type { Rendered } from "../mail/templates/layout";
import { renderLogin } from "../mail/templates/login";

/** A sign-in link ready to mail: the statement that stores its token, and the email body. */
interface LoginLink {
  statement: Statement;
  /** The token's hash: a stable, secret-free name for the mail's Idempotency-Key. */
  hash: string;
  url: string;
  rendered: Rendered;
}

/** Makes a one-time sign-in link for a user; commit `statement` with the mail that carries it. */
export async function issueLoginLink(
  db: Db,
  config: Config,
  userId: string,
  now: number,
): Promise<LoginLink> {
  const { token, hash } = await newLoginToken();
  const url = `${config.publicUrl}/login/confirm?token=${token}`;
  return {
    statement: insertLoginToken(db, hash, userId, now),
    hash,
    url,
    rendered: renderLogin(url, LOGIN_TOKEN_TTL_MS / 60_000),
  };
}
