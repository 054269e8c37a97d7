import { sign, verify } from "./signing";

const PURPOSE = "reply-address:v1";

/** The signed address that replies about one thread go to: `re-<id>-<sig>@MAIL_DOMAIN`. */
export async function replyAddress(
  secret: string,
  threadId: string,
  mailDomain: string,
): Promise<string> {
  return `re-${threadId}-${await sign(secret, PURPOSE, threadId)}@${mailDomain}`;
}

/** True when `signature` was made by this deployment for `threadId`. */
export function verifyReplyAddress(
  secret: string,
  threadId: string,
  signature: string,
): Promise<boolean> {
  return verify(secret, PURPOSE, threadId.toLowerCase(), signature);
}
