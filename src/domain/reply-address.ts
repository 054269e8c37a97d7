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
 * Case does not matter here, and only here: some mail servers upper-case the local part,
 * and an address is case-blind in practice, so `RE-ABC...@` still works (routeRecipient
 * lower-cases it anyway). Web links are exact (links.ts).
 */
export function verifyReplyAddress(
  secret: string,
  threadId: string,
  signature: string,
): Promise<boolean> {
  return verifySignature(secret, REPLY_SIGNATURE, threadId.toLowerCase(), signature.toLowerCase());
}
