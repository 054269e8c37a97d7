import { type SignatureKind, signAs, verifySignature } from "./signing";

/** Reply addresses carry 16 base32 characters of signature (80 bits). */
const REPLY_SIGNATURE: SignatureKind = { purpose: "reply-address:v1", length: 16 };

/** The signed address that replies about one thread go to: `re-<id>-<sig>@MAIL_DOMAIN`. */
export async function replyAddress(
  secret: string,
  threadId: string,
  mailDomain: string,
): Promise<string> {
  return `re-${threadId}-${await signAs(secret, REPLY_SIGNATURE, threadId)}@${mailDomain}`;
}

/**
 * True when `signature` was made by this deployment for `threadId`, at its exact length.
 * Both come lower-cased from routeRecipient: a mail server may upper-case an address, and
 * email addresses are case-blind in practice, so `RE-ABC...@` still works. Web links are
 * exact (links.ts).
 */
export function verifyReplyAddress(
  secret: string,
  threadId: string,
  signature: string,
): Promise<boolean> {
  return verifySignature(secret, REPLY_SIGNATURE, threadId, signature);
}
