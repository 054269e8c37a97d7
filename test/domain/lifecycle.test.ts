import { describe, expect, it } from "vitest";
import {
  type AddressPlan,
  AWAITING_REPLY,
  type LifecycleEvent,
  type LifecycleState,
  outreachTracked,
  THREAD_STATUSES,
  type ThreadStatus,
  type Transition,
  transition,
} from "../../src/domain/lifecycle";
import type { SchedulePrefs } from "../../src/domain/schedule";

// The lifecycle table (SPEC section 3), row by row. "Now" is Tuesday 3 March 2026, 10:00 in
// New York (EST): the US moves to daylight time on 8 March, so a step of a week or more
// lands at 08:00 EDT (12:00 UTC) while 3 business days land at 08:00 EST (13:00 UTC).
const NOW = Date.parse("2026-03-03T15:00:00Z");
const NY: SchedulePrefs = {
  timeZone: "America/New_York",
  reminderMinutes: 480,
  skipWeekends: true,
  cadence: "3bd,1w,2w,3mo",
  oneReminderOnly: false,
};
const FRI_6_MAR_8AM = Date.parse("2026-03-06T13:00:00Z"); // now + 3bd (step 1)
const TUE_10_MAR_8AM = Date.parse("2026-03-10T12:00:00Z"); // now + 1w (step 2)
const TUE_17_MAR_8AM = Date.parse("2026-03-17T12:00:00Z"); // now + 2w (step 3)
const LATER = Date.parse("2026-04-01T12:00:00Z");

const CLOSED = ["dormant", "replied", "met", "stopped"] as const;
const OPEN = ["scheduled", "unscheduled"] as const;

/** A follow@ thread after reminder 1: reminder 2 is next (scheduled ones are due later). */
function thread(status: ThreadStatus, extra: Partial<LifecycleState> = {}): LifecycleState {
  return {
    status,
    kind: "track",
    step: status === "dormant" ? 5 : status === "unscheduled" ? 1 : 2,
    dueAt: status === "scheduled" ? LATER : null,
    explicitFirst: false,
    recurrence: null,
    address: "follow",
    ...extra,
  };
}

const keepInTouch = (status: ThreadStatus = "scheduled") =>
  thread(status, { kind: "every", recurrence: "2weeks", address: "every2weeks", step: 3 });

const run = (state: LifecycleState, event: LifecycleEvent, prefs = NY, now = NOW) =>
  transition(state, event, prefs, now);

const unchanged = (
  state: LifecycleState,
  counted: Transition["counted"],
  activity: boolean,
): Transition => ({ rule: "unchanged", state, counted, activity });

const named: AddressPlan = { kind: "named", address: "aug1", dueAt: LATER };
const every: AddressPlan = {
  kind: "every",
  address: "everymonday9am",
  recurrence: "monday9am",
  dueAt: Date.parse("2026-03-09T13:00:00Z"),
};
const notUnderstood: AddressPlan = { kind: "not-understood", address: "3dayz", keepInTouch: false };

describe("a new outreach", () => {
  it.each([
    [
      "follow@: cadence step 1",
      { kind: "cadence", address: "follow", dueAt: FRI_6_MAR_8AM },
      { status: "scheduled", kind: "track", dueAt: FRI_6_MAR_8AM, explicitFirst: false },
    ],
    [
      "a time: reminder 1 then",
      named,
      { status: "scheduled", kind: "track", dueAt: LATER, explicitFirst: true },
    ],
    [
      "every...: keep in touch",
      every,
      { status: "scheduled", kind: "every", recurrence: "monday9am", explicitFirst: true },
    ],
    [
      "a time not understood: waits for one",
      notUnderstood,
      { status: "unscheduled", kind: "track", dueAt: null, explicitFirst: false },
    ],
  ] as const)("%s", (_name, plan, expected) => {
    const t = outreachTracked(plan as AddressPlan);
    expect(t.state).toMatchObject({ step: 1, address: plan.address, ...expected });
    expect(t.counted).toBe("outreach");
    expect(t.rule).toBe(plan.kind === "not-understood" ? "needs-time" : "tracked");
  });

  it("an every...@ address not understood is a keep-in-touch thread waiting for a time", () => {
    const t = outreachTracked({ kind: "not-understood", address: "everyfoo", keepInTouch: true });
    expect(t.state).toMatchObject({ status: "unscheduled", kind: "every", recurrence: null });
  });
});

describe("reminder sent (cron)", () => {
  it("moves a scheduled thread to the next step, counted from now", () => {
    expect(run(thread("scheduled"), { kind: "reminder-sent" })).toEqual({
      rule: "next-step",
      state: { ...thread("scheduled"), step: 3, dueAt: TUE_17_MAR_8AM },
      counted: "reminder",
      activity: true,
    });
  });

  it("goes dormant after the last step", () => {
    const last = thread("scheduled", { step: 4 });
    expect(run(last, { kind: "reminder-sent" })).toEqual({
      rule: "last-step",
      state: { ...last, status: "dormant", step: 5, dueAt: null },
      counted: "reminder",
      activity: true,
    });
  });

  it.each(["unscheduled", ...CLOSED] as const)("changes nothing on a %s thread", (status) => {
    expect(run(thread(status), { kind: "reminder-sent" })).toEqual(
      unchanged(thread(status), null, false),
    );
  });
});

describe("follow-up", () => {
  const explicit = (plan: AddressPlan | null = null): LifecycleEvent => ({
    kind: "followed-up",
    copy: "explicit",
    plan,
  });
  const inherited = (plan: AddressPlan | null = null): LifecycleEvent => ({
    kind: "followed-up",
    copy: "inherited",
    plan,
  });

  it.each(["explicit", "inherited"] as const)(
    "scheduled, %s: counted, the next step from now",
    (copy) => {
      const t = run(thread("scheduled"), { kind: "followed-up", copy, plan: null });
      expect(t).toEqual({
        rule: "next-step",
        state: { ...thread("scheduled"), step: 3, dueAt: TUE_17_MAR_8AM },
        counted: "followup",
        activity: true,
      });
    },
  );

  it("unscheduled: counted, the next step from now", () => {
    expect(run(thread("unscheduled"), explicit())).toEqual({
      rule: "next-step",
      state: { ...thread("unscheduled"), status: "scheduled", step: 2, dueAt: TUE_10_MAR_8AM },
      counted: "followup",
      activity: true,
    });
  });

  it("scheduled, explicit to a time address: the next reminder at that time", () => {
    expect(run(thread("scheduled"), explicit(named))).toEqual({
      rule: "named-time",
      state: { ...thread("scheduled"), step: 3, dueAt: LATER },
      counted: "followup",
      activity: true,
    });
  });

  it("scheduled, inherited time address: the cadence, not the stale time", () => {
    expect(run(thread("scheduled"), inherited(named)).state.dueAt).toBe(TUE_17_MAR_8AM);
  });

  it("past the last step: dormant", () => {
    const last = thread("scheduled", { step: 4 });
    expect(run(last, explicit()).state).toMatchObject({ status: "dormant", dueAt: null });
  });

  it.each(CLOSED)("%s, explicit: counted and a new round from step 1", (status) => {
    expect(run(thread(status), explicit())).toEqual({
      rule: "new-round",
      state: { ...thread(status), status: "scheduled", step: 1, dueAt: FRI_6_MAR_8AM },
      counted: "followup",
      activity: true,
    });
  });

  it.each(CLOSED)("%s, explicit to a time address: the new round's reminder 1 then", (status) => {
    expect(run(thread(status), explicit(named)).state).toEqual({
      ...thread(status),
      status: "scheduled",
      step: 1,
      dueAt: LATER,
      explicitFirst: true,
      address: "aug1",
    });
  });

  it("dormant, explicit to every...@: the new round keeps in touch", () => {
    expect(run(thread("dormant"), explicit(every)).state).toMatchObject({
      status: "scheduled",
      kind: "every",
      recurrence: "monday9am",
      step: 1,
      dueAt: every.dueAt,
    });
  });

  it("stopped, explicit to a time not understood: a new round on the cadence", () => {
    expect(run(thread("stopped"), explicit(notUnderstood)).state).toMatchObject({
      status: "scheduled",
      step: 1,
      dueAt: FRI_6_MAR_8AM,
    });
  });

  it.each(CLOSED)("%s, inherited: counted, nothing else changes", (status) => {
    expect(run(thread(status), inherited(named))).toEqual(
      unchanged(thread(status), "followup", true),
    );
  });
});

describe("contact replied", () => {
  it.each(["scheduled", "unscheduled", "dormant", "stopped", "replied"] as const)(
    "%s: marked replied, reminders stop",
    (status) => {
      expect(run(thread(status), { kind: "contact-replied" })).toEqual({
        rule: "closed",
        state: { ...thread(status), status: "replied", dueAt: null },
        counted: "reply",
        activity: true,
      });
    },
  );

  it("met: the reply is counted, the thread stays met", () => {
    expect(run(thread("met"), { kind: "contact-replied" })).toEqual(
      unchanged(thread("met"), "reply", true),
    );
  });

  it("agrees with AWAITING_REPLY: the statuses a reply still changes", () => {
    const changes = THREAD_STATUSES.filter(
      (s) => run(thread(s), { kind: "contact-replied" }).state.status !== s,
    );
    expect([...AWAITING_REPLY].sort()).toEqual([...changes].sort());
  });
});

describe("call or meeting", () => {
  it.each([...OPEN, ...CLOSED])("%s: marked met, reminders stop", (status) => {
    expect(run(thread(status), { kind: "met" })).toEqual({
      rule: "closed",
      state: { ...thread(status), status: "met", dueAt: null },
      counted: "call",
      activity: true,
    });
  });
});

describe("snooze and stop", () => {
  it.each([...OPEN, ...CLOSED])("%s, snooze: scheduled at the time given", (status) => {
    expect(run(thread(status), { kind: "snoozed", dueAt: LATER })).toEqual({
      rule: "snoozed",
      state: { ...thread(status), status: "scheduled", dueAt: LATER },
      counted: "snooze",
      activity: false,
    });
  });

  it.each([...OPEN, ...CLOSED])("%s, stop: stopped", (status) => {
    expect(run(thread(status), { kind: "stopped" })).toEqual({
      rule: "stopped",
      state: { ...thread(status), status: "stopped", dueAt: null },
      counted: "stop",
      activity: false,
    });
  });
});

describe("another copy of a message already handled", () => {
  const again = (copy: "explicit" | "inherited", plan: AddressPlan): LifecycleEvent => ({
    kind: "copy-again",
    copy,
    plan,
  });
  const soon: AddressPlan = { kind: "named", address: "2d", dueAt: FRI_6_MAR_8AM };

  it("scheduled: an earlier time wins, not counted", () => {
    expect(run(thread("scheduled"), again("explicit", soon))).toEqual({
      rule: "earlier",
      state: { ...thread("scheduled"), dueAt: FRI_6_MAR_8AM, explicitFirst: true, address: "2d" },
      counted: null,
      activity: false,
    });
  });

  it("scheduled: a later time changes nothing", () => {
    const early = thread("scheduled", { dueAt: FRI_6_MAR_8AM });
    expect(run(early, again("explicit", named))).toEqual(unchanged(early, null, false));
  });

  it("unscheduled: the copy's time schedules it", () => {
    expect(run(thread("unscheduled"), again("explicit", soon)).state).toMatchObject({
      status: "scheduled",
      dueAt: FRI_6_MAR_8AM,
      step: 1,
    });
  });

  it.each(CLOSED)("%s, explicit: the new round an inherited first copy could not start", (s) => {
    expect(run(thread(s), again("explicit", soon))).toMatchObject({
      rule: "new-round",
      state: { status: "scheduled", step: 1, dueAt: FRI_6_MAR_8AM },
      counted: null,
    });
  });

  it.each([...OPEN, ...CLOSED])("%s: an inherited copy changes nothing", (status) => {
    expect(run(thread(status), again("inherited", soon))).toEqual(
      unchanged(thread(status), null, false),
    );
  });

  it("a time not understood changes nothing", () => {
    expect(run(thread("scheduled"), again("explicit", notUnderstood))).toEqual(
      unchanged(thread("scheduled"), null, false),
    );
  });
});

describe("keep in touch (every...@)", () => {
  it.each([
    ["contact-replied", "reply"],
    ["met", "call"],
  ] as const)("%s: counted, the next reminder one interval from now", (kind, counted) => {
    expect(run(keepInTouch(), { kind })).toEqual({
      rule: "keep-in-touch",
      state: { ...keepInTouch(), dueAt: TUE_17_MAR_8AM },
      counted,
      activity: true,
    });
  });

  it("reminder sent or follow-up: the next occurrence, never dormant", () => {
    for (const event of [
      { kind: "reminder-sent" },
      { kind: "followed-up", copy: "explicit", plan: null },
    ] as const) {
      expect(run(keepInTouch(), event).state).toEqual({
        ...keepInTouch(),
        step: 4,
        dueAt: TUE_17_MAR_8AM,
      });
    }
  });

  it("ends only with stop; an explicit follow-up then starts it again", () => {
    const stopped = run(keepInTouch(), { kind: "stopped" }).state;
    expect(stopped.status).toBe("stopped");
    expect(run(stopped, { kind: "followed-up", copy: "explicit", plan: null }).state).toEqual({
      ...keepInTouch(),
      step: 1,
      dueAt: TUE_17_MAR_8AM,
    });
  });
});

describe("the time rules in Europe/Berlin", () => {
  // Friday 27 March 2026, 10:00 CET; Europe moves to summer time on Sunday 29 March.
  const now = Date.parse("2026-03-27T09:00:00Z");
  const berlin: SchedulePrefs = { ...NY, timeZone: "Europe/Berlin" };

  it("a new round's first step lands at 08:00 CEST, three business days on", () => {
    const t = run(
      thread("dormant"),
      { kind: "followed-up", copy: "explicit", plan: null },
      berlin,
      now,
    );
    expect(new Date(t.state.dueAt ?? 0).toISOString()).toBe("2026-04-01T06:00:00.000Z");
  });

  it("a keep-in-touch reply moves the next reminder a week on, at 08:00 CEST", () => {
    const weekly = thread("scheduled", { kind: "every", recurrence: "1week" });
    const t = run(weekly, { kind: "contact-replied" }, berlin, now);
    expect(new Date(t.state.dueAt ?? 0).toISOString()).toBe("2026-04-03T06:00:00.000Z");
  });

  it("the next step after a reminder lands at 08:00 CEST", () => {
    const t = run(thread("scheduled"), { kind: "reminder-sent" }, berlin, now);
    expect(new Date(t.state.dueAt ?? 0).toISOString()).toBe("2026-04-10T06:00:00.000Z");
  });
});
