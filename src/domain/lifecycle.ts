// The thread lifecycle (SPEC section 3) as one table: status x event -> status, schedule and
// the event the stats count. Email (inbound/), the web (commands/apply.ts) and the cron job
// (jobs/reminders.ts) all move threads through `transition`; nothing else changes a status.
// Pure: the user's settings and `now` are passed in.
//
//   status \ event   reminder  follow-up          follow-up     contact     call/met   snooze  stop
//                    sent      explicit            inherited     replied
//   unscheduled      -         next step¹          next step     replied     met        sched.  stopped
//   scheduled        next step next step¹          next step     replied²    met²       sched.  stopped
//   dormant          -         new round           counted only  replied     met        sched.  stopped
//   replied          -         new round           counted only  replied     met        sched.  stopped
//   met              -         new round           counted only  counted     met        sched.  stopped
//   stopped          -         new round           counted only  replied     met        sched.  stopped
//
//   ¹ at the time the address named (`3d@`) instead, when it named one
//   ² keep-in-touch (`every...@`) threads stay scheduled: the next reminder one interval on
//   "next step" past the last step is dormant; "-" changes nothing (the cron job claims only
//   scheduled threads). A second copy of a message already handled (`copy-again`) keeps the
//   earlier time, or starts the new round an inherited first copy could not.

import { cadenceOrDefault } from "./cadence";
import { nextAfter, type SchedulePrefs } from "./schedule";
import { addDuration, nextOccurrence, parseEvery } from "./time-grammar";

/** Every status a thread can be in. */
export const THREAD_STATUSES = [
  "unscheduled",
  "scheduled",
  "replied",
  "met",
  "stopped",
  "dormant",
] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/** A follow-up thread on the cadence, or a keep-in-touch thread (`every...@`). */
type ThreadKind = "track" | "every";

/** The statuses a contact's reply still changes: a forwarded reply may be about these. */
export const AWAITING_REPLY: readonly ThreadStatus[] = [
  "unscheduled",
  "scheduled",
  "dormant",
  "stopped",
];

/** The part of a thread its lifecycle reads and writes. */
export interface LifecycleState {
  status: ThreadStatus;
  kind: ThreadKind;
  /** The reminder due next (1-based). */
  step: number;
  dueAt: number | null;
  /** Reminder 1 was at a time the address named (`3d@`), not the cadence's first step. */
  explicitFirst: boolean;
  /** For keep-in-touch threads: the text after "every". */
  recurrence: string | null;
  /** The local part of the tracking address that set the current round. */
  address: string;
}

/** What a tracking address asks for, worked out in the user's zone (domain/address-plan.ts). */
type FirstReminder =
  | { kind: "cadence"; address: string; dueAt: number }
  | { kind: "named"; address: string; dueAt: number }
  | { kind: "every"; address: string; recurrence: string; dueAt: number };

/** A first reminder, or an address that starts like a time and did not parse. */
export type AddressPlan =
  | FirstReminder
  | { kind: "not-understood"; address: string; keepInTouch: boolean };

/**
 * How a Sprout address reached a user's message in a known conversation: explicit when it
 * came only through the envelope (Bcc), inherited when it also stands in the visible To or Cc
 * (reply-all keeps a Cc'd Sprout address). Commands and web actions are explicit.
 */
export type Copy = "explicit" | "inherited";

/** Everything that happens to a thread after its outreach was tracked. */
export type LifecycleEvent =
  /** The cron job sent the reminder due now. */
  | { kind: "reminder-sent" }
  /** The user followed up: `done`, "I followed up", or a detected message (plan: its address). */
  | { kind: "followed-up"; copy: Copy; plan: AddressPlan | null }
  /** The contact answered: detected, forwarded by the user, or `replied`. */
  | { kind: "contact-replied" }
  /** A call or meeting happened. */
  | { kind: "met" }
  | { kind: "snoozed"; dueAt: number }
  | { kind: "stopped" }
  /** Another copy of a message already handled, sent to a second Sprout address. */
  | { kind: "copy-again"; copy: Copy; plan: AddressPlan };

/** The events the stats count (the `events` table). */
type CountedEvent = "outreach" | "reminder" | "followup" | "reply" | "call" | "snooze" | "stop";

/** Which rule of the table applied: drives outcomes on record and confirmation lines. */
export type Rule =
  | "tracked"
  | "needs-time"
  | "next-step"
  | "named-time"
  | "last-step"
  | "new-round"
  | "closed"
  | "keep-in-touch"
  | "snoozed"
  | "stopped"
  | "earlier"
  | "unchanged";

/** A thread after an event. */
export interface Transition {
  rule: Rule;
  state: LifecycleState;
  counted: CountedEvent | null;
  /** The user or the contact acted now: the thread's latest activity moves to now. */
  activity: boolean;
}

/** The first row: a new outreach, scheduled as its address asks, or waiting for a time. */
export function outreachTracked(plan: AddressPlan): Transition & { counted: "outreach" } {
  if (plan.kind === "not-understood") {
    return {
      rule: "needs-time",
      state: {
        status: "unscheduled",
        kind: plan.keepInTouch ? "every" : "track",
        step: 1,
        dueAt: null,
        explicitFirst: false,
        recurrence: null,
        address: plan.address,
      },
      counted: "outreach",
      activity: true,
    };
  }
  return { rule: "tracked", state: startRound(plan), counted: "outreach", activity: true };
}

/** Applies one event to a thread: every other row of the table. */
export function transition(
  state: LifecycleState,
  event: LifecycleEvent,
  prefs: SchedulePrefs,
  now: number,
): Transition {
  const same = (counted: CountedEvent | null, activity: boolean): Transition => ({
    rule: "unchanged",
    state,
    counted,
    activity,
  });
  const open = state.status === "scheduled" || state.status === "unscheduled";
  switch (event.kind) {
    case "reminder-sent":
      return state.status === "scheduled"
        ? advance(state, prefs, now, "reminder")
        : same(null, false);
    case "followed-up": {
      if (open) {
        if (event.copy === "explicit" && event.plan?.kind === "named") {
          // The named time takes the next reminder's place; the step still moves on.
          const { step } = nextAfter(state, prefs, new Date(now));
          return {
            rule: "named-time",
            state: { ...state, status: "scheduled", step, dueAt: event.plan.dueAt },
            counted: "followup",
            activity: true,
          };
        }
        return advance(state, prefs, now, "followup");
      }
      // A reply-all that keeps Sprout in Cc is no request to start again.
      if (event.copy === "inherited") return same("followup", true);
      return {
        rule: "new-round",
        state: newRound(state, event.plan, prefs, now),
        counted: "followup",
        activity: true,
      };
    }
    case "contact-replied":
    case "met": {
      const counted = event.kind === "met" ? "call" : "reply";
      const interval = keepInTouch(state);
      if (state.status === "scheduled" && interval !== null) {
        // Keep-in-touch ends only with stop: the next reminder is one interval from now.
        const dueAt = nextOccurrence(interval, new Date(now), prefs).getTime();
        return { rule: "keep-in-touch", state: { ...state, dueAt }, counted, activity: true };
      }
      // A reply after a call changes nothing more: the call is the further outcome.
      if (event.kind === "contact-replied" && state.status === "met") return same(counted, true);
      const status = event.kind === "met" ? "met" : "replied";
      return { rule: "closed", state: { ...state, status, dueAt: null }, counted, activity: true };
    }
    case "snoozed":
      return {
        rule: "snoozed",
        state: { ...state, status: "scheduled", dueAt: event.dueAt },
        counted: "snooze",
        activity: false,
      };
    case "stopped":
      return {
        rule: "stopped",
        state: { ...state, status: "stopped", dueAt: null },
        counted: "stop",
        activity: false,
      };
    case "copy-again": {
      // Not counted: the first copy of the message was.
      const plan = event.plan;
      if (event.copy === "inherited" || plan.kind === "not-understood") return same(null, false);
      if (!open) {
        return { rule: "new-round", state: startRound(plan), counted: null, activity: true };
      }
      if (state.status === "scheduled" && (state.dueAt ?? Number.POSITIVE_INFINITY) <= plan.dueAt) {
        return same(null, false);
      }
      return {
        rule: "earlier",
        state: { ...startRound(plan), step: state.step },
        counted: null,
        activity: false,
      };
    }
  }
}

/** The recurrence of a keep-in-touch thread, or null for a thread on the cadence. */
function keepInTouch(state: LifecycleState) {
  if (state.kind !== "every") return null;
  const rec = parseEvery(state.recurrence ?? "");
  return rec.ok ? rec.value : null;
}

/** The next step after a reminder or a follow-up; past the last step the thread is dormant. */
function advance(
  state: LifecycleState,
  prefs: SchedulePrefs,
  now: number,
  counted: "reminder" | "followup",
): Transition {
  const next = nextAfter(state, prefs, new Date(now));
  if (next.status === "dormant") {
    return {
      rule: "last-step",
      state: { ...state, status: "dormant", step: next.step, dueAt: null },
      counted,
      activity: true,
    };
  }
  return {
    rule: "next-step",
    state: { ...state, status: "scheduled", step: next.step, dueAt: next.dueAt.getTime() },
    counted,
    activity: true,
  };
}

/** Reminder 1 of a round, as the address asks. */
function startRound(plan: FirstReminder): LifecycleState {
  return {
    status: "scheduled",
    kind: plan.kind === "every" ? "every" : "track",
    step: 1,
    dueAt: plan.dueAt,
    explicitFirst: plan.kind !== "cadence",
    recurrence: plan.kind === "every" ? plan.recurrence : null,
    address: plan.address,
  };
}

/**
 * A new round: the address's first reminder, or without one (a command, a time that did not
 * parse) the thread's own: the next keep-in-touch occurrence, or the cadence's first step.
 */
function newRound(
  state: LifecycleState,
  plan: AddressPlan | null,
  prefs: SchedulePrefs,
  now: number,
): LifecycleState {
  if (plan !== null && plan.kind !== "not-understood") return startRound(plan);
  const interval = keepInTouch(state);
  if (interval !== null) {
    const dueAt = nextOccurrence(interval, new Date(now), prefs).getTime();
    return { ...state, status: "scheduled", step: 1, dueAt };
  }
  const [first] = cadenceOrDefault(prefs.cadence);
  if (first === undefined) throw new Error("a cadence has at least one step");
  return {
    ...state,
    status: "scheduled",
    kind: "track",
    step: 1,
    dueAt: addDuration(new Date(now), first, prefs).getTime(),
    explicitFirst: false,
    recurrence: null,
  };
}
