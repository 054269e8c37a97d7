import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { actionLink } from "../../src/domain/links";
import { replyAddress } from "../../src/domain/reply-address";
import { outboxReplyingTo } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";
import { BASE, cookieFor, makeThread, makeUser, rowWhere, web } from "../web/helpers";

// src/commands/apply.ts: every command is the lifecycle's transition, the same from the web
// page (app.request), a reminder's signed link and a reply email.

const SECRET = env.SIGNING_SECRET ?? "";
const CLOSED = ["dormant", "replied", "met", "stopped"] as const;

afterEach(() => {
  vi.useRealTimers();
});

const iso = (ms: unknown) => new Date(Number(ms)).toISOString();

async function eventsOf(threadId: string) {
  const { results } = await env.DB.prepare(
    "select kind, source from events where thread_id = ? order by id",
  )
    .bind(threadId)
    .all<{ kind: string; source: string }>();
  return results.map((r) => `${r.kind}:${r.source}`);
}

/** A signed-in user in a zone, at a fixed "now". */
async function signedIn(timeZone: string, now: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now);
  const user = await makeUser({ timeZone });
  return { user, cookie: await cookieFor(user.id, now) };
}

/** Presses an action's button on the threads page. */
async function press(cookie: string, id: string, action: string, when = "") {
  const res = await web(`/threads/${id}/${action}`, { cookie, form: { when } });
  expect(res.status).toBe(200);
  return { res, thread: await rowWhere("threads", "id", id) };
}

describe("I followed up (Europe/Berlin)", () => {
  // Friday 27 March 2026, 10:00 CET; Europe moves to summer time on Sunday 29 March.
  const NOW = Date.parse("2026-03-27T09:00:00Z");
  let ctx: Awaited<ReturnType<typeof signedIn>>;
  beforeEach(async () => {
    ctx = await signedIn("Europe/Berlin", NOW);
  });

  it("scheduled: counted, the next step from now", async () => {
    const id = await makeThread(ctx.user.id, { step: 2 });
    const { res, thread } = await press(ctx.cookie, id, "done");
    expect(thread?.status).toBe("scheduled");
    expect(thread?.step).toBe(3);
    expect(iso(thread?.due_at)).toBe("2026-04-10T06:00:00.000Z"); // two weeks, 08:00 CEST
    expect(res.text).toContain("Counted your follow-up. Next reminder: Fri 10 Apr 2026, 08:00");
    expect(await eventsOf(id)).toEqual(["followup:web"]);
  });

  it("unscheduled: counted, the next step from now", async () => {
    const id = await makeThread(ctx.user.id, { status: "unscheduled", dueAt: null, step: 1 });
    const { thread } = await press(ctx.cookie, id, "done");
    expect(thread?.status).toBe("scheduled");
    expect(iso(thread?.due_at)).toBe("2026-04-03T06:00:00.000Z"); // one week, 08:00 CEST
  });

  it("the last step: counted, then dormant", async () => {
    const id = await makeThread(ctx.user.id, { step: 4 });
    const { res, thread } = await press(ctx.cookie, id, "done");
    expect(thread?.status).toBe("dormant");
    expect(thread?.due_at).toBeNull();
    expect(res.text).toContain("That was the last step");
  });

  it.each(CLOSED)("%s: counted, and a new round from step 1", async (status) => {
    const id = await makeThread(ctx.user.id, { status, dueAt: null, step: 5 });
    const { res, thread } = await press(ctx.cookie, id, "done");
    expect(thread?.status).toBe("scheduled");
    expect(thread?.step).toBe(1);
    // Three business days after Friday: Wednesday 1 April, 08:00 CEST.
    expect(iso(thread?.due_at)).toBe("2026-04-01T06:00:00.000Z");
    expect(res.text).toContain("started a new round");
    expect(await eventsOf(id)).toEqual(["followup:web"]);
  });
});

describe("they replied, call, stop and snooze (America/New_York)", () => {
  // Tuesday 3 March 2026, 10:00 EST; the US moves to daylight time on Sunday 8 March.
  const NOW = Date.parse("2026-03-03T15:00:00Z");
  const TWO_WEEKS = "2026-03-17T12:00:00.000Z"; // Tuesday 17 March, 08:00 EDT
  let ctx: Awaited<ReturnType<typeof signedIn>>;
  beforeEach(async () => {
    ctx = await signedIn("America/New_York", NOW);
  });
  const keepInTouch = () =>
    makeThread(ctx.user.id, {
      kind: "every",
      recurrence: "2weeks",
      address: "every2weeks",
      explicitFirst: true,
    });

  it("keep in touch, they replied: counted; the next reminder one interval from now", async () => {
    const id = await keepInTouch();
    const { res, thread } = await press(ctx.cookie, id, "replied");
    expect(thread?.status).toBe("scheduled");
    expect(iso(thread?.due_at)).toBe(TWO_WEEKS);
    expect(res.text).toContain(
      "Counted their reply. Keeping in touch: next reminder Tue 17 Mar 2026, 08:00",
    );
    expect(await eventsOf(id)).toEqual(["reply:web"]);
  });

  it("keep in touch, call (by reply email): counted; the next reminder one interval from now", async () => {
    const id = await keepInTouch();
    const messageId = uniqueId("call");
    await deliver(mime({ messageId, from: ctx.user.email, body: "had a call" }), {
      from: ctx.user.email,
      to: await replyAddress(SECRET, id, "sprout.test"),
    });
    const thread = await rowWhere("threads", "id", id);
    expect(thread?.status).toBe("scheduled");
    expect(iso(thread?.due_at)).toBe(TWO_WEEKS);
    const [confirmation] = await outboxReplyingTo(messageId);
    expect(String(confirmation?.text_body)).toContain("Counted your call. Keeping in touch");
    expect(await eventsOf(id)).toEqual(["call:email"]);
  });

  it("keep in touch ends with stop", async () => {
    const id = await keepInTouch();
    const { thread } = await press(ctx.cookie, id, "stop");
    expect(thread?.status).toBe("stopped");
    expect(thread?.due_at).toBeNull();
  });

  it.each(["scheduled", "unscheduled", "dormant", "stopped", "replied"] as const)(
    "%s, they replied: marked replied",
    async (status) => {
      const id = await makeThread(ctx.user.id, { status });
      const { res, thread } = await press(ctx.cookie, id, "replied");
      expect(thread?.status).toBe("replied");
      expect(thread?.due_at).toBeNull();
      expect(res.text).toContain("Marked as replied");
    },
  );

  it("met, they replied: counted; the thread stays met", async () => {
    const id = await makeThread(ctx.user.id, { status: "met", dueAt: null });
    const { res, thread } = await press(ctx.cookie, id, "replied");
    expect(thread?.status).toBe("met");
    expect(res.text).toContain("Counted.");
    expect(await eventsOf(id)).toEqual(["reply:web"]);
  });

  it.each(["scheduled", ...CLOSED] as const)("%s, call: marked met", async (status) => {
    const user = ctx.user;
    const id = await makeThread(user.id, { status });
    const address = await replyAddress(SECRET, id, "sprout.test");
    // The web page has no call button: the command comes by reply email.
    const messageId = uniqueId("call");
    await deliver(mime({ messageId, from: user.email, body: "call" }), {
      from: user.email,
      to: address,
    });
    expect((await rowWhere("threads", "id", id))?.status).toBe("met");
    expect(await eventsOf(id)).toEqual(["call:email"]);
  });

  it.each(CLOSED)("%s, snooze: scheduled at the time given", async (status) => {
    const id = await makeThread(ctx.user.id, { status, dueAt: null });
    const { thread } = await press(ctx.cookie, id, "snooze", "tomorrow 9am");
    expect(thread?.status).toBe("scheduled");
    expect(iso(thread?.due_at)).toBe("2026-03-04T14:00:00.000Z"); // 09:00 EST
  });

  it("a snooze time that cannot be used changes nothing", async () => {
    const id = await makeThread(ctx.user.id, { status: "stopped", dueAt: null });
    const res = await web(`/threads/${id}/snooze`, {
      cookie: ctx.cookie,
      form: { when: "feb 30" },
    });
    expect(res.status).toBe(400);
    expect((await rowWhere("threads", "id", id))?.status).toBe("stopped");
    expect(await eventsOf(id)).toEqual([]);
  });
});

describe("the same rules from a reminder's link and a reply email", () => {
  const NOW = Date.parse("2026-03-03T15:00:00Z");

  it("a signed link's I followed up on a dormant thread starts a new round, without a session", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    const user = await makeUser({ timeZone: "America/New_York" });
    const id = await makeThread(user.id, { status: "dormant", dueAt: null, step: 5 });
    const path = (await actionLink(SECRET, BASE, id, "done")).slice(BASE.length);
    const s = new URL(`${BASE}${path}`).searchParams.get("s") ?? "";
    const res = await web(`/t/${id}/done`, { form: { s } });
    expect(res.status).toBe(200);
    const thread = await rowWhere("threads", "id", id);
    expect(thread?.status).toBe("scheduled");
    expect(iso(thread?.due_at)).toBe("2026-03-06T13:00:00.000Z"); // Fri 6 Mar, 08:00 EST
  });

  it("done by reply email on a stopped thread starts a new round and says so", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    const user = await makeUser({ timeZone: "America/New_York" });
    const id = await makeThread(user.id, { status: "stopped", dueAt: null });
    const address = await replyAddress(SECRET, id, "sprout.test");
    const messageId = uniqueId("done");
    const record = await deliver(mime({ messageId, from: user.email, body: "done" }), {
      from: user.email,
      to: address,
    });
    expect(record.rejected).toBeNull();
    const thread = await rowWhere("threads", "id", id);
    expect(thread?.status).toBe("scheduled");
    expect(thread?.step).toBe(1);
    const [confirmation] = await outboxReplyingTo(messageId);
    expect(String(confirmation?.text_body)).toContain(
      "Counted your follow-up and started a new round of reminders. Next reminder: Fri 6 Mar 2026, 08:00 (America/New_York).",
    );
    expect(await eventsOf(id)).toEqual(["followup:email"]);
  });
});
