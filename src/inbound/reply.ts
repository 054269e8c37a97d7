import type { UserRow } from "../db/schema";
import { findThread, scheduleThread } from "../db/threads";
import { timePrefs } from "../db/users";
import { verifyReplyAddress } from "../domain/reply-address";
import { firstReplyLine } from "../domain/snippet";
import { parseWhen } from "../domain/time-grammar";
import { renderConfirmation, scheduledLine } from "../mail/templates/confirm";
import { renderHelp } from "../mail/templates/help";
import { type Rendered, replySubject } from "../mail/templates/layout";
import { type Action, type InboundDeps, type Incoming, queue, replyTo } from "./context";

/** Why a reply address is refused, or the action it leads to. */
export type ReplyResult = { ok: true; action: Action } | { ok: false; reason: string };

/**
 * Handles mail to a thread's signed reply address. For now a reply that holds a time
 * (re)schedules the thread; anything else gets the help text.
 */
export async function handleReply(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  route: { threadId: string; signature: string },
): Promise<ReplyResult> {
  const { db, config, now } = deps;
  if (!(await verifyReplyAddress(config.signingSecret, route.threadId, route.signature))) {
    return {
      ok: false,
      reason: "This Sprout reply address is not valid: it may have been altered.",
    };
  }
  const thread = await findThread(db, route.threadId);
  if (thread === null || thread.userId !== user.id) {
    return { ok: false, reason: "This Sprout conversation does not exist or is not yours." };
  }
  const action: Action = { outcome: "reply", threadId: thread.id, statements: [], deliveries: [] };
  const line = firstReplyLine({ text: inc.msg.text, html: inc.msg.html });
  const timeText = line
    .replace(/^snooze\s+/i, "")
    .trim()
    .replace(/\s+/g, "-");
  const when = timeText === "" ? null : parseWhen(timeText, new Date(now), timePrefs(user));
  let rendered: Rendered;
  if (when?.ok === true) {
    const dueAt = when.value.dueAt.getTime();
    action.outcome = "reply:scheduled";
    action.statements.push(scheduleThread(db, thread.id, dueAt, now));
    rendered = renderConfirmation(thread.subject, scheduledLine(dueAt, user.timeZone));
  } else {
    action.outcome = "reply:help";
    action.detail = line.slice(0, 200);
    const intro =
      line === ""
        ? "Sprout found no command in your reply."
        : `Sprout did not understand "${line.slice(0, 200)}".`;
    rendered = renderHelp(config.mailDomain, intro);
    rendered.subject = replySubject(thread.subject);
  }
  queue(deps, action, {
    id: `reply-${inc.deliveryKey.slice(0, 40)}`,
    userId: user.id,
    threadId: thread.id,
    kind: action.outcome,
    email: replyTo(config, user, inc, rendered),
  });
  return { ok: true, action };
}
