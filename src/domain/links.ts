import { type SignatureKind, signAs, verifySignature } from "./signing";

/** The actions a reminder's web links offer. */
export const LINK_ACTIONS = ["done", "replied", "snooze", "stop"] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

// Links carry 22 base32 characters of signature (110 bits) and are checked exactly: a
// cut or upper-cased signature is refused (a URL is not case-blind like an address).
const ACTION_SIGNATURE: SignatureKind = { purpose: "action-link:v1", length: 22 };

/** A signed, stable link to the confirmation page of one action on one thread. */
export async function actionLink(
  secret: string,
  publicUrl: string,
  threadId: string,
  action: LinkAction,
): Promise<string> {
  const signature = await signAs(secret, ACTION_SIGNATURE, `${threadId}:${action}`);
  return `${publicUrl}/t/${threadId}/${action}?s=${signature}`;
}

/** True when `signature` was made by this deployment for this thread and action, exactly. */
export function verifyActionLink(
  secret: string,
  threadId: string,
  action: string,
  signature: string,
): Promise<boolean> {
  return verifySignature(secret, ACTION_SIGNATURE, `${threadId}:${action}`, signature);
}

/** Narrows a path segment to a known action. */
export function isLinkAction(value: string): value is LinkAction {
  return (LINK_ACTIONS as readonly string[]).includes(value);
}

const UNSUBSCRIBE: SignatureKind = { purpose: "digest-unsubscribe:v1", length: 22 };

/** The signed one-click unsubscribe link of a user's weekly digest (RFC 8058). */
export async function digestUnsubscribeLink(
  secret: string,
  publicUrl: string,
  userId: string,
): Promise<string> {
  return `${publicUrl}/digest/unsubscribe?u=${userId}&s=${await signAs(secret, UNSUBSCRIBE, userId)}`;
}

/** True when `signature` unsubscribes `userId` from the digest, exactly. */
export function verifyDigestUnsubscribe(
  secret: string,
  userId: string,
  signature: string,
): Promise<boolean> {
  return verifySignature(secret, UNSUBSCRIBE, userId, signature);
}
