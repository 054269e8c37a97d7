// Mail in a conversation Sprout already tracks (SPEC section 3): the user's follow-ups and
// the contact's replies, detected or forwarded. What each does to the thread is the
// lifecycle's table (domain/lifecycle.ts); this file only reads the mail.

import type { ThreadRow, UserRow } from "../db/schema";
import {
  findThreadByMessageIds,
  linkMessages,
  recentThreads,
  threadContacts,
  writeTransition,
} from "../db/threads";
import { userPrefs } from "../db/users";
import { baseSubject, forwardedSender, isForward } from "../domain/forwarded";
import { type AddressPlan, AWAITING_REPLY, type Copy, transition } from "../domain/lifecycle";
import type { Action, InboundDeps, Incoming } from "./context";
import type { InboundMessage } from "./parse";

/** Every Message-ID a message points back to (In-Reply-To first, then References). */
export function ancestorIds(msg: InboundMessage): string[] {
  return [...new Set([...msg.inReplyTo, ...msg.references.slice().reverse()])].slice(0, 90);
}

/**
 * Explicit when the Sprout address reached Sprout only through the envelope (Bcc), inherited
 * when it also stands in the visible To or Cc (reply-all keeps a Cc'd Sprout address).
 */
export function copyOf(inc: Incoming): Copy {
  const envelope = inc.envelopeTo.trim().replace(/^<|>$/g, "").toLowerCase();
  const visible = [...inc.msg.to, ...inc.msg.cc].some((m) => m.address === envelope);
  return visible ? "inherited" : "explicit";
}

/**
 * The contact whose mail the user forwarded (a forward of someone else's message), or null.
 * Forwarding one of your own messages is an outreach, not a reply.
 */
export function forwardedContact(inc: Incoming, user: UserRow): string | null {
  if (!isForward(inc.msg.subject, inc.msg.text)) return null;
  const sender = forwardedSender(inc.msg.text);
  return sender === null || sender === user.email ? null : sender;
}

/**
 * A user's message to a tracking address that belongs to a known conversation: a forwarded
 * reply (the thread is marked replied) or a follow-up (counted; the thread moves on as the
 * lifecycle says for this copy). Null when it is a new outreach.
 */
export async function conversationAction(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  plan: AddressPlan,
): Promise<Action | null> {
  const { db, now } = deps;
  const earlier = await findThreadByMessageIds(db, ancestorIds(inc.msg), user.id);
  if (isForward(inc.msg.subject, inc.msg.text)) {
    const sender = forwardedContact(inc, user);
    if (sender === null) return null;
    const replied = earlier ?? (await threadForForward(deps, user.id, sender, inc.msg.subject));
    return replied === null ? null : contactReplied(deps, user, replied, inc);
  }
  if (earlier === null) return null;
  const t = transition(
    earlier,
    { kind: "followed-up", copy: copyOf(inc), plan },
    userPrefs(user),
    now,
  );
  return {
    outcome: { kind: "followup", rule: t.rule },
    threadId: earlier.id,
    statements: [
      ...writeTransition(db, earlier, t, "detected", now),
      ...linkMessages(db, earlier, [inc.messageId]),
    ],
    deliveries: [],
  };
}

/**
 * The contact answered: a reply-all that reached Sprout (`inc` absent: nothing to link), or
 * a reply the owner forwarded. Counts a reply; the lifecycle decides the rest. No mail goes out.
 */
export function contactReplied(
  deps: InboundDeps,
  owner: UserRow,
  thread: ThreadRow,
  forwarded?: Incoming,
): Action {
  const { db, now } = deps;
  const t = transition(thread, { kind: "contact-replied" }, userPrefs(owner), now);
  const source = forwarded === undefined ? "detected" : "email";
  return {
    outcome: {
      kind: "contact-reply",
      via: forwarded === undefined ? "detected" : "forwarded",
      verified: true,
    },
    threadId: thread.id,
    statements: [
      ...writeTransition(db, thread, t, source, now),
      ...(forwarded === undefined ? [] : linkMessages(db, thread, [forwarded.messageId])),
    ],
    deliveries: [],
  };
}

/**
 * The owner's thread a forwarded reply is about: one still awaiting a reply whose contacts
 * include the forwarded sender, preferring a matching subject, then the most recent.
 */
async function threadForForward(
  deps: InboundDeps,
  userId: string,
  sender: string,
  subject: string | null,
): Promise<ThreadRow | null> {
  const candidates = await recentThreads(deps.db, userId, AWAITING_REPLY, 200);
  const withSender = candidates.filter((t) => threadContacts(t).some((c) => c.address === sender));
  const wanted = baseSubject(subject ?? "");
  return withSender.find((t) => baseSubject(t.subject) === wanted) ?? withSender[0] ?? null;
}
