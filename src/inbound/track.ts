import { claimBudget } from "../db/answer-log";
import { recordEvent } from "../db/events";
import type { UserRow } from "../db/schema";
import { type Contact, findThreadByMessageIds, insertThread, writeTransition } from "../db/threads";
import { userPrefs } from "../db/users";
import { isSproutAddress } from "../domain/address";
import { planAddress, type TrackRoute } from "../domain/address-plan";
import { answerBudgets, THREADS_PER_DAY, threadBudget } from "../domain/answer-limits";
import { type Copy, outreachTracked, transition } from "../domain/lifecycle";
import { replyAddress } from "../domain/reply-address";
import { err, ok, type Result } from "../domain/result";
import { base32, sha256Hex } from "../domain/signing";
import { makeSnippet } from "../domain/snippet";
import type { TimeError } from "../domain/time-grammar";
import { renderTimeError } from "../mail/templates/time-error";
import { type Action, type InboundDeps, type Incoming, queue, replyTo } from "./context";
import { conversationAction, copyOf, forwardedContact } from "./conversation";
import type { Rejection } from "./rejection";

/**
 * A user's message to a tracking address: another copy of a message already handled, a
 * follow-up or forwarded reply in a known conversation (conversation.ts), or a new outreach,
 * refused past THREADS_PER_DAY new threads in a day (SPEC section 9).
 * `quiet` (bulk mail) sends no answer at all, not even the "time not understood" reply.
 */
export async function track(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  route: TrackRoute,
  quiet: boolean,
): Promise<Result<Action, Rejection>> {
  const { db, now } = deps;
  const planned = planAddress(route, userPrefs(user), now);
  const existing = await findThreadByMessageIds(db, [inc.messageId], user.id);
  if (existing !== null) {
    // Every copy of the outreach itself asks for tracking; a later message's copy follows
    // the explicit/inherited rule; a forwarded reply's second copy changes nothing more.
    const copy: Copy =
      existing.messageId === inc.messageId
        ? "explicit"
        : forwardedContact(inc, user) !== null
          ? "inherited"
          : copyOf(inc);
    const event = { kind: "copy-again", copy, plan: planned.plan } as const;
    const t = transition(existing, event, userPrefs(user), now);
    return ok({
      outcome: { kind: "copy", rule: t.rule, timeNotUnderstood: planned.error !== null },
      threadId: existing.id,
      statements: writeTransition(db, existing, t, "email", now),
      deliveries: [],
      detail: planned.error === null ? undefined : route.local,
    });
  }

  const known = await conversationAction(deps, user, inc, planned.plan);
  if (known !== null) return ok(known);

  if (!(await claimBudget(db, threadBudget(user.id), now))) {
    return err({ kind: "thread-limit", limit: THREADS_PER_DAY });
  }

  const id = await threadIdFor(user.id, inc.messageId);
  const t = outreachTracked(planned.plan);
  const subject = inc.msg.subject ?? "(no subject)";
  const action: Action = {
    outcome: {
      kind: "tracked",
      rule: t.rule === "tracked" ? "tracked" : "needs-time",
      answer: "sent",
    },
    threadId: id,
    statements: [
      ...insertThread(
        db,
        {
          id,
          userId: user.id,
          ...t.state,
          subject: subject.slice(0, 998),
          messageId: inc.messageId,
          referencesJson: JSON.stringify(inc.msg.references.slice(-20)),
          contactsJson: JSON.stringify(contactsOf(inc, deps.config.mailDomain)),
          snippet: makeSnippet({ text: inc.msg.text, html: inc.msg.html }),
          dateHeader: inc.msg.date,
          sentAt: now,
          lastActivityAt: now,
          parseError: planned.error === null ? null : JSON.stringify(planned.error),
          createdAt: now,
          updatedAt: now,
        },
        [inc.messageId],
      ),
      recordEvent(db, { userId: user.id, threadId: id, kind: t.counted, source: "email", at: now }),
    ],
    deliveries: [],
  };
  if (planned.error !== null) {
    action.detail = route.local;
    const thread = { id, error: planned.error, subject, local: route.local };
    if (!quiet) await queueTimeError(deps, inc, user, action, thread);
  }
  return ok(action);
}

/** The thread id for a user's message: stable, so two copies of one message meet in one row. */
async function threadIdFor(userId: string, messageId: string): Promise<string> {
  const hex = await sha256Hex(`thread:${userId}:${messageId}`);
  const bytes = new Uint8Array(hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
  return base32(bytes).slice(0, 10);
}

/** To and Cc of the outreach, minus Sprout's own addresses and the sender, once each. */
function contactsOf(inc: Incoming, mailDomain: string): Contact[] {
  const seen = new Set<string>([inc.msg.from.address]);
  const out: Contact[] = [];
  for (const m of [...inc.msg.to, ...inc.msg.cc]) {
    if (seen.has(m.address) || isSproutAddress(m.address, mailDomain)) continue;
    seen.add(m.address);
    out.push({ name: m.name.slice(0, 200), address: m.address.slice(0, 320) });
    if (out.length >= 50) break;
  }
  return out;
}

/**
 * The error reply to a time that did not parse; replying to it with a time schedules the
 * thread. Within the limits of SPEC section 9; past them the thread waits in silence.
 */
async function queueTimeError(
  deps: InboundDeps,
  inc: Incoming,
  user: UserRow,
  action: Action,
  thread: { id: string; error: TimeError; subject: string; local: string },
): Promise<void> {
  const { config } = deps;
  if (!(await claimBudget(deps.db, answerBudgets("time-error", user.email), deps.now))) {
    action.outcome = { kind: "tracked", rule: "needs-time", answer: "rate-limited" };
    return;
  }
  const address = `${thread.local}@${config.mailDomain}`;
  const rendered = renderTimeError(thread.error, address, thread.subject, config.mailDomain);
  queue(deps, action, {
    id: `time-error-${inc.deliveryKey.slice(0, 40)}`,
    userId: user.id,
    threadId: thread.id,
    kind: "time-error",
    email: replyTo(config, user, inc, rendered, {
      replyTo: await replyAddress(config.signingSecret, thread.id, config.mailDomain),
    }),
  });
}
