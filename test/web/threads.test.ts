import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb, runBatch } from "../../src/db/client";
import { markFailed, queueDelivery } from "../../src/db/deliveries";
import { PAGE_SIZE } from "../../src/db/thread-pages";
import { cookieFor, makeThread, makeUser, rowWhere, web } from "./helpers";

const ids = (html: string) =>
  [...html.matchAll(/action="\/threads\/([a-z0-9]+)\/done"/g)].map((m) => m[1]);

describe("the threads page", () => {
  it("shows contact, subject, snippet and the next reminder in the user's zone", async () => {
    const user = await makeUser({ timeZone: "America/New_York" });
    const cookie = await cookieFor(user.id);
    // 13:00 UTC on 2 Jun 2031 is 09:00 in New York (EDT).
    await makeThread(user.id, { dueAt: Date.UTC(2031, 5, 2, 13, 0) });
    const res = await web("/threads", { cookie });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Coffee next week?");
    expect(res.text).toContain("Jane Doe &lt;jane@example.org&gt;");
    expect(res.text).toContain("Would you have 20 minutes for coffee?");
    expect(res.text).toContain("Next reminder: Mon 2 Jun 2031, 09:00 (America/New_York)");
    expect(res.text).toMatch(/<label for="when-[a-z0-9]+">Snooze until<\/label>/);
  });

  it("escapes a hostile subject and snippet", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    await makeThread(user.id, {
      subject: "<img src=x onerror=alert(1)>",
      snippet: '"><script>alert(2)</script>',
    });
    const res = await web("/threads", { cookie });
    expect(res.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(res.text).not.toContain("<img");
    expect(res.text).not.toContain("<script");
  });

  it("pages through thousands-style lists by keyset, soonest first, without overlap", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const base = Date.UTC(2031, 0, 1);
    // Pairs share a due time, so the id breaks ties across the page boundary.
    for (let i = 0; i < PAGE_SIZE + 5; i++) {
      await makeThread(user.id, { dueAt: base + Math.floor(i / 2) * 3_600_000 });
    }
    const first = await web("/threads?view=upcoming", { cookie });
    const firstIds = ids(first.text);
    expect(firstIds).toHaveLength(PAGE_SIZE);
    const next = /href="(\/threads\?view=upcoming&amp;after=[^"]+)"/.exec(first.text)?.[1];
    expect(next).toBeDefined();
    const second = await web((next ?? "").replace("&amp;", "&"), { cookie });
    const secondIds = ids(second.text);
    expect(secondIds).toHaveLength(5);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(PAGE_SIZE + 5);
    expect(second.text).not.toContain("Next page");
  });

  it("lists replied and dormant threads in their own views", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    await makeThread(user.id, { status: "replied", dueAt: null, subject: "They wrote back" });
    await makeThread(user.id, { status: "dormant", dueAt: null, subject: "All quiet" });
    const replied = await web("/threads?view=replied", { cookie });
    expect(replied.text).toContain("They wrote back");
    expect(replied.text).not.toContain("All quiet");
    const dormant = await web("/threads?view=dormant", { cookie });
    expect(dormant.text).toContain("All quiet");
    expect(dormant.text).toContain('aria-current="page"');
  });

  it("lists failed deliveries with the reason", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const db = openDb(env.DB);
    const email = {
      from: "s@sprout.test",
      to: user.email,
      subject: "Re: Lunch?",
      text: "",
      html: "",
      headers: {},
    };
    await runBatch(db, [
      queueDelivery(
        db,
        { id: `r-${user.id}`, userId: user.id, threadId: null, kind: "reminder", email },
        Date.now(),
      ),
      markFailed(db, `r-${user.id}`, "422 invalid recipient"),
    ]);
    const res = await web("/threads?view=failed", { cookie });
    expect(res.text).toContain("Re: Lunch?");
    expect(res.text).toContain("Reason: 422 invalid recipient");
  });

  it.each([
    ["done", "Counted your follow-up", "scheduled"],
    ["replied", "Marked as replied", "replied"],
    ["stop", "Stopped", "stopped"],
  ])("acts on a thread: %s", async (action, line, status) => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const id = await makeThread(user.id);
    const res = await web(`/threads/${id}/${action}`, {
      cookie,
      form: { back: "/threads?view=upcoming" },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(line);
    expect(res.text).toContain('href="/threads?view=upcoming"');
    const row = await rowWhere("threads", "id", id);
    expect(row?.status).toBe(status);
    const event = await rowWhere("events", "thread_id", id);
    expect(event?.source).toBe("web");
  });

  it("snoozes to the time given, and refuses a time it cannot read", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const id = await makeThread(user.id);
    const before = Number((await rowWhere("threads", "id", id))?.due_at);
    const ok = await web(`/threads/${id}/snooze`, { cookie, form: { when: "2w" } });
    expect(ok.text).toContain("Snoozed: Sprout will remind you on");
    const after = Number((await rowWhere("threads", "id", id))?.due_at);
    expect(after).toBeGreaterThan(before + 10 * 86_400_000);
    const bad = await web(`/threads/${id}/snooze`, { cookie, form: { when: "whenever" } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("did not understand &quot;whenever&quot;");
    expect(Number((await rowWhere("threads", "id", id))?.due_at)).toBe(after);
  });

  it("does not let one user act on another's thread, nor accept an unknown action", async () => {
    const owner = await makeUser();
    const other = await makeUser();
    const id = await makeThread(owner.id);
    const cookie = await cookieFor(other.id);
    expect((await web(`/threads/${id}/stop`, { cookie, form: {} })).status).toBe(404);
    const own = await cookieFor(owner.id);
    expect((await web(`/threads/${id}/explode`, { cookie: own, form: {} })).status).toBe(404);
    expect((await rowWhere("threads", "id", id))?.status).toBe("scheduled");
  });

  it("never links back anywhere but the threads page", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const id = await makeThread(user.id);
    const res = await web(`/threads/${id}/done`, {
      cookie,
      form: { back: "https://evil.example/" },
    });
    expect(res.text).toContain('href="/threads"');
    expect(res.text).not.toContain("evil.example");
  });
});
