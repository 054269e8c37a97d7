import { sign, verify } from "./signing";

/** The actions a reminder's web links offer. */
export const LINK_ACTIONS = ["done", "replied", "snooze", "stop"] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

const PURPOSE = "action-link:v1";

/** A signed, stable link to the confirmation page of one action on one thread. */
export async function actionLink(
  secret: string,
  publicUrl: string,
  threadId: string,
  action: LinkAction,
): Promise<string> {
  const signature = await sign(secret, PURPOSE, `${threadId}:${action}`, 22);
  return `${publicUrl}/t/${threadId}/${action}?s=${signature}`;
}

/** True when `signature` was made by this deployment for this thread and action. */
export function verifyActionLink(
  secret: string,
  threadId: string,
  action: string,
  signature: string,
): Promise<boolean> {
  return verify(secret, PURPOSE, `${threadId}:${action}`, signature);
}

/** Narrows a path segment to a known action. */
export function isLinkAction(value: string): value is LinkAction {
  return (LINK_ACTIONS as readonly string[]).includes(value);
}

const UNSUBSCRIBE = "digest-unsubscribe:v1";

/** The signed one-click unsubscribe link of a user's weekly digest (RFC 8058). */
export async function digestUnsubscribeLink(
  secret: string,
  publicUrl: string,
  userId: string,
): Promise<string> {
  return `${publicUrl}/digest/unsubscribe?u=${userId}&s=${await sign(secret, UNSUBSCRIBE, userId, 22)}`;
}

/** True when `signature` unsubscribes `userId` from the digest. */
export function verifyDigestUnsubscribe(
  secret: string,
  userId: string,
  signature: string,
): Promise<boolean> {
  return verify(secret, UNSUBSCRIBE, userId, signature);
}
