import { eq } from "drizzle-orm";
import type { Statement } from "../db/client";
import { recordEvent } from "../db/events";
import type { UserRow } from "../db/schema";
import { type ThreadRow, threadMessages, threads } from "../db/schema";
import { type Contact, findThreadByMessageIds, insertThread, scheduleThread } from "../db/threads";
import { userPrefs } from "../db/users";
import { isSproutAddress } from "../domain/address";
import { cadenceOrDefault } from "../domain/cadence";
import { replyAddress } from "../domain/reply-address";
import { err, ok, type Result } from "../domain/result";
import { nextAfter } from "../domain/schedule";
import { base32, sha256Hex } from "../domain/signing";
import { makeSnippet } from "../domain/snippet";
import {
  addDuration,
  nextOccurrence,
  parseEvery,
  parseWhen,
  type TimeError,
} from "../domain/time-grammar";
import { renderTimeError } from "../mail/templates/time-error";
import { type Action, type InboundDeps, type Incoming, queue, replyTo } from "./context";
import { ancestorIds, forwardedSender, isForward, threadForForward } from "./conversation";

/** A tracking address: a time, `follow@`, or `every...@`. */
export type TrackRoute =
  | { kind: "time"; local: string }
  | { kind: "follow"; local: string }
  | { kind: "every"; local: string; rest: string };

/** When a thread's first reminder falls, and how it was asked for. */
interface Plan {
  dueAt: number;
  kind: "track" | "every";
  recurrence: string | null;
  explicitFirst: boolean;
}

/** Works out the first reminder for a tracking address, in the user's zone and settings. */
export function planFor(route: TrackRoute, user: UserRow, now: number): Result<Plan, TimeError> {
  const prefs = userPrefs(user);
  const at = new Date(now);
  switch (route.kind) {
    case "follow": {
      const [first] = cadenceOrDefault(user.cadence);
      if (first === undefined) throw new Error("a cadence has at least one step");
      return ok({
        dueAt: addDuration(at, first, prefs).getTime(),
        kind: "track",
        recurrence: null,
        explicitFirst: false,
      });
    }
    case "time": {
      const when = parseWhen(route.local, at, prefs);
      if (!when.ok) return when;
      return ok({
        dueAt: when.value.dueAt.getTime(),
        kind: "track",
        recurrence: null,
        explicitFirst: true,
      });
    }
    case "every": {
      const rec = parseEvery(route.rest);
      // Quote the whole address back, not just the part after "every".
      if (!rec.ok) return err({ ...rec.error, input: route.local });
      return ok({
        dueAt: nextOccurrence(rec.value, at, prefs).getTime(),
        kind: "every",
        recurrence: route.rest,
        explicitFirst: true,
      });
    }
  }
}

/** The thread id for a user's message: stable, so two copies of one message meet in one row. */
export async function threadIdFor(userId: string, messageId: string): Promise<string> {
  const hex = await sha256Hex(`thread:${userId}:${messageId}`);
  const bytes = new Uint8Array(hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
  return base32(bytes).slice(0, 10);
}

/**
 * Tracks an outreach: a new thread with its first reminder, or, when the same message
 * already reached Sprout through another address, the earlier of the two times.
 */
export async function track(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  route: TrackRoute,
): Promise<Action> {
  const { db, config, now } = deps;
  const plan = planFor(route, user, now);
  const action: Action = { outcome: "tracked", threadId: null, statements: [], deliveries: [] };
  const existing = await findThreadByMessageIds(db, user.id, [inc.messageId]);
  if (existing !== null) {
    action.threadId = existing.id;
    if (!plan.ok) {
      action.outcome = "merged:ignored-bad-time";
      action.detail = route.local;
      return action;
    }
    const earlier =
      existing.status === "unscheduled" ||
      (existing.status === "scheduled" &&
        (existing.dueAt ?? Number.POSITIVE_INFINITY) > plan.value.dueAt);
    action.outcome = earlier ? "merged:earlier" : "merged:kept";
    if (earlier) {
      action.statements.push(
        scheduleThread(db, existing.id, plan.value.dueAt, now, {
          address: route.local,
          kind: plan.value.kind,
          recurrence: plan.value.recurrence,
          explicitFirst: plan.value.explicitFirst,
        }),
      );
    }
    return action;
  }

  // A later message in a conversation Sprout knows: a follow-up, or a forwarded reply.
  const earlier = await findThreadByMessageIds(db, user.id, ancestorIds(inc.msg));
  if (isForward(inc.msg)) {
    const sender = forwardedSender(inc.msg);
    if (sender !== null && sender !== user.email) {
      const replied =
        earlier ?? (await threadForForward(db, user.id, sender, inc.msg.subject ?? ""));
      if (replied !== null) return contactReplied(deps, replied, "email", inc);
    }
  } else if (earlier !== null) {
    return followedUp(
      deps,
      user,
      inc,
      earlier,
      route.kind === "time" && plan.ok ? plan.value.dueAt : null,
    );
  }

  const id = await threadIdFor(user.id, inc.messageId);
  action.threadId = id;
  const subject = inc.msg.subject ?? "(no subject)";
  action.statements.push(
    ...insertThread(
      db,
      {
        id,
        userId: user.id,
        kind: plan.ok ? plan.value.kind : route.kind === "every" ? "every" : "track",
        status: plan.ok ? "scheduled" : "unscheduled",
        address: route.local,
        recurrence: plan.ok ? plan.value.recurrence : null,
        explicitFirst: plan.ok ? plan.value.explicitFirst : false,
        subject: subject.slice(0, 998),
        messageId: inc.messageId,
        referencesJson: JSON.stringify(inc.msg.references.slice(-20)),
        contactsJson: JSON.stringify(contactsOf(inc, config.mailDomain)),
        snippet: makeSnippet({ text: inc.msg.text, html: inc.msg.html }),
        dateHeader: inc.msg.date,
        sentAt: now,
        step: 1,
        dueAt: plan.ok ? plan.value.dueAt : null,
        lastActivityAt: now,
        parseError: plan.ok ? null : JSON.stringify(plan.error),
        createdAt: now,
        updatedAt: now,
      },
      [inc.messageId],
    ),
    recordEvent(db, { userId: user.id, threadId: id, kind: "outreach", source: "email", at: now }),
  );
  if (!plan.ok) {
    action.outcome = "unscheduled:bad-time";
    action.detail = route.local;
    const rendered = renderTimeError(
      plan.error,
      `${route.local}@${config.mailDomain}`,
      subject,
      config.mailDomain,
    );
    queue(deps, action, {
      id: `time-error-${inc.deliveryKey.slice(0, 40)}`,
      userId: user.id,
      threadId: id,
      kind: "time-error",
      email: replyTo(config, user, inc, rendered, {
        replyTo: await replyAddress(config.signingSecret, id, config.mailDomain),
      }),
    });
  }
  return action;
}

/** To and Cc of the outreach, minus Sprout's own addresses and the sender, once each. */
export function contactsOf(inc: Incoming, mailDomain: string): Contact[] {
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

/** The contact answered: count a reply and stop the thread's reminders. No mail goes out. */
export function contactReplied(
  deps: InboundDeps,
  thread: ThreadRow,
  source: "email" | "detected",
  inc?: Incoming,
): Action {
  const { db, now } = deps;
  const statements: Statement[] = [
    recordEvent(db, { userId: thread.userId, threadId: thread.id, kind: "reply", source, at: now }),
  ];
  // A replied thread stays replied; a stopped one is not revived by a late answer.
  if (
    thread.status === "scheduled" ||
    thread.status === "dormant" ||
    thread.status === "unscheduled"
  ) {
    statements.push(
      db
        .update(threads)
        .set({
          status: "replied",
          dueAt: null,
          leaseUntil: null,
          lastActivityAt: now,
          updatedAt: now,
        })
        .where(eq(threads.id, thread.id)),
    );
  }
  if (inc !== undefined) {
    statements.push(...linkMessage(db, thread, inc.messageId));
  }
  return {
    outcome: source === "detected" ? "contact-reply" : "forwarded-reply",
    threadId: thread.id,
    statements,
    deliveries: [],
  };
}

/**
 * The owner wrote again in a known conversation with Sprout in Bcc: a follow-up. It takes
 * the pending reminder's place and the next step counts from now (or the named time).
 */
function followedUp(
  deps: InboundDeps,
  user: UserRow,
  inc: Incoming,
  thread: ThreadRow,
  namedDueAt: number | null,
): Action {
  const { db, now } = deps;
  const next = nextAfter(thread, userPrefs(user), new Date(now));
  const dueAt = namedDueAt ?? (next.status === "scheduled" ? next.dueAt.getTime() : null);
  return {
    outcome: "followup",
    threadId: thread.id,
    statements: [
      recordEvent(db, {
        userId: user.id,
        threadId: thread.id,
        kind: "followup",
        source: "detected",
        at: now,
      }),
      db
        .update(threads)
        .set({
          status: dueAt === null ? "dormant" : "scheduled",
          step: next.step,
          dueAt,
          lastActivityAt: now,
          leaseUntil: null,
          updatedAt: now,
        })
        .where(eq(threads.id, thread.id)),
      ...linkMessage(db, thread, inc.messageId),
    ],
    deliveries: [],
  };
}

/** Remembers another Message-ID of the conversation, so later replies to it find the thread. */
function linkMessage(db: InboundDeps["db"], thread: ThreadRow, messageId: string): Statement[] {
  return [
    db
      .insert(threadMessages)
      .values({ userId: thread.userId, messageId, threadId: thread.id })
      .onConflictDoNothing(),
  ];
}
