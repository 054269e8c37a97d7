import { issueLoginLink } from "../auth/login-link";
import { claimBudget } from "../db/answer-log";
import type { UserRow } from "../db/schema";
import { countPendingThreads, listPendingThreads, threadContacts } from "../db/threads";
import { answerBudgets } from "../domain/answer-limits";
import { renderHelp } from "../mail/templates/help";
import type { Rendered } from "../mail/templates/layout";
import { renderList } from "../mail/templates/list";
import { type Action, type InboundDeps, type Incoming, queue, replyTo } from "./context";

/** How many threads the `list@` reply shows. */
const LIST_LIMIT = 50;

/**
 * Answers `help@`, `list@` or `login@` with one email to the sender, within the limits of
 * SPEC section 9 (past them, silence). A held list@ or login@, processed when its sender
 * confirmed, gets no email: confirming lands them signed in on the threads page, which is
 * both answers (a held help@ is still answered: that question has not been answered yet).
 */
export async function answer(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  kind: "help" | "list" | "login",
): Promise<Action> {
  const action: Action = {
    outcome: { kind: "answered", what: kind, answer: "sent" },
    threadId: null,
    statements: [],
    deliveries: [],
  };
  if (inc.heldId !== null && kind !== "help") {
    action.outcome = { kind: "answered", what: kind, answer: "on-the-web" };
    return action;
  }
  if (!(await claimBudget(deps.db, answerBudgets(kind, user.email), deps.now))) {
    action.outcome = { kind: "answered", what: kind, answer: "rate-limited" };
    return action;
  }
  let rendered: Rendered;
  switch (kind) {
    case "help":
      rendered = renderHelp(deps.config.mailDomain);
      break;
    case "list": {
      const [rows, total] = await Promise.all([
        listPendingThreads(deps.db, user.id, LIST_LIMIT),
        countPendingThreads(deps.db, user.id),
      ]);
      const items = rows.map((t) => ({
        contacts: threadContacts(t),
        subject: t.subject,
        dueAt: t.dueAt,
      }));
      rendered = renderList(items, total, user.timeZone);
      break;
    }
    case "login": {
      // The token is stored in the same batch as the mail that carries it.
      const link = await issueLoginLink(deps.db, deps.config, user.id, deps.now);
      action.statements.push(link.statement);
      rendered = link.rendered;
      break;
    }
  }
  queue(deps, action, {
    id: `${kind}-${inc.deliveryKey.slice(0, 40)}`,
    userId: user.id,
    threadId: null,
    kind,
    email: replyTo(deps.config, user, inc, rendered),
  });
  return action;
}
