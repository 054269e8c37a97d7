import { applyCommand, describeSnoozeError } from "../commands/apply";
import { claimBudget } from "../db/answer-log";
import { runBatch } from "../db/client";
import { queueDelivery } from "../db/deliveries";
import { claimNotice } from "../db/events";
import type { ThreadRow, UserRow } from "../db/schema";
import { findThread } from "../db/threads";
import { findUserById } from "../db/users";
import { answerBudgets } from "../domain/answer-limits";
import { parseCommand } from "../domain/commands";
import { verifyReplyAddress } from "../domain/reply-address";
import { err, ok, type Result } from "../domain/result";
import { firstReplyLine } from "../domain/snippet";
import { composeEmail } from "../mail/compose";
import { renderConfirmation } from "../mail/templates/confirm";
import { renderHelp } from "../mail/templates/help";
import { type Rendered, replySubject } from "../mail/templates/layout";
import { renderForeignReply } from "../mail/templates/notices";
import {
  type Action,
  type InboundDeps,
  type Incoming,
  outcomeLabel,
  queue,
  replyTo,
} from "./context";
import type { Rejection } from "./rejection";

/** An owner hears at most once a day that someone else wrote to their reply addresses. */
const FOREIGN_NOTICE_EVERY_MS = 24 * 60 * 60 * 1000;

/** Verifies a signed reply address and finds its thread. */
export async function resolveReplyTarget(
  deps: InboundDeps,
  route: { threadId: string; signature: string },
): Promise<Result<ThreadRow, Rejection>> {
  if (!(await verifyReplyAddress(deps.config.signingSecret, route.threadId, route.signature))) {
    return err({ kind: "bad-reply-address" });
  }
  const thread = await findThread(deps.db, route.threadId);
  return thread === null ? err({ kind: "thread-gone" }) : ok(thread);
}

/**
 * Someone other than the owner wrote to a thread's reply address: nothing changes, the
 * mail is rejected in-session, and the owner hears about it at most once a day.
 */
export async function noteForeignReply(
  deps: InboundDeps,
  thread: ThreadRow,
  inc: Incoming,
): Promise<Rejection> {
  const owner = await findUserById(deps.db, thread.userId);
  const key = `foreign-reply:${thread.userId}`;
  if (owner !== null && (await claimNotice(deps.db, key, deps.now, FOREIGN_NOTICE_EVERY_MS))) {
    const rendered = renderForeignReply(
      inc.msg.from.address,
      thread.subject,
      deps.config.mailDomain,
    );
    const notice = queueDelivery(
      deps.db,
      {
        id: `foreign-${inc.deliveryKey.slice(0, 40)}`,
        userId: owner.id,
        threadId: thread.id,
        kind: "foreign-reply",
        email: composeEmail(deps.config, {
          to: owner.email,
          rendered,
          autoSubmitted: "auto-generated",
        }),
      },
      deps.now,
    );
    // Queued only: the message itself is rejected, so the next cron run sends the notice.
    await runBatch(deps.db, [notice]);
  }
  return { kind: "not-owner" };
}

/**
 * The owner answered a reminder (or an error email): the first line they typed is a command.
 * Commands get a one-line confirmation in the thread (unless turned off; at most 30 an
 * hour); anything else gets the help text (at most 5 an hour and 20 a day, SPEC section 9),
 * so an auto-responder cannot start a loop.
 */
export async function handleReply(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  thread: ThreadRow,
): Promise<Action> {
  const { db, config, now } = deps;
  const action: Action = {
    outcome: { kind: "help-reply", asked: "unknown", rateLimited: false },
    threadId: thread.id,
    statements: [],
    deliveries: [],
  };
  const line = firstReplyLine({ text: inc.msg.text, html: inc.msg.html });
  const command = parseCommand(line);
  let rendered: Rendered | null = null;
  if (command.kind === "help" || command.kind === "unknown") {
    action.detail = line.slice(0, 200);
    const answered = await claimBudget(db, answerBudgets("help", user.email), now);
    action.outcome = { kind: "help-reply", asked: command.kind, rateLimited: !answered };
    if (answered) {
      const intro =
        command.kind === "help"
          ? undefined
          : line === ""
            ? "Sprout found no command in your reply, so nothing changed."
            : `Sprout did not understand "${line.slice(0, 200)}", so nothing changed.`;
      rendered = renderHelp(config.mailDomain, intro);
      rendered.subject = replySubject(thread.subject);
    }
  } else {
    const effect = applyCommand(db, user, thread, command, now, "email");
    if (effect.ok) {
      action.outcome = { kind: "command", command: command.kind, answer: "sent" };
      action.statements.push(...effect.value.statements);
      if (user.confirmations) rendered = renderConfirmation(thread.subject, effect.value.line);
    } else {
      action.outcome = { kind: "command-refused", answer: "sent" };
      action.detail = line.slice(0, 200);
      rendered = renderConfirmation(
        thread.subject,
        `${describeSnoozeError(effect.error.error)} Nothing changed. Try: snooze 3d, snooze next tuesday, snooze aug 15.`,
      );
    }
    if (
      rendered !== null &&
      !(await claimBudget(db, answerBudgets("confirmation", user.email), now))
    ) {
      rendered = null;
      action.outcome = { ...action.outcome, answer: "rate-limited" };
    }
  }
  if (rendered !== null) {
    queue(deps, action, {
      id: `reply-${inc.deliveryKey.slice(0, 40)}`,
      userId: user.id,
      threadId: thread.id,
      kind: outcomeLabel(action.outcome),
      email: replyTo(config, user, inc, rendered),
    });
  }
  return action;
}
