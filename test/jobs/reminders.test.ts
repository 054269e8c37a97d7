import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config";
import { DUE_QUERY_SQL } from "../../src/db/claims";
import { openDb } from "../../src/db/client";
import { verifyActionLink } from "../../src/domain/links";
import worker from "../../src/index";
import { claimAndQueueReminders } from "../../src/jobs/reminders";
import { threadById } from "../helpers/db";
import { cronAt, DAY, HOUR, outreachAt, rowsFor, wipe } from "../helpers/scenario";

// Tuesday 3 March 2026, 10:00 UTC.
const T0 = Date.parse("2026-03-03T10:00:00Z");

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

async function outbox(threadId: string) {
  return rowsFor("dev_outbox", threadId);
}

describe("the cadence", () => {
  it("follows 3bd, 1w, 2w, 3mo from the latest activity, then goes dormant", async () => {
    const { id } = await outreachAt(T0, "follow@sprout.test");
    const expected = [
      ["2026-03-06T08:00:00Z", "follow-up 1 of 4"], // Tue + 3 business days = Fri
      ["2026-03-13T08:00:00Z", "follow-up 2 of 4"], // reminder 1 + 1 week
      ["2026-03-27T08:00:00Z", "follow-up 3 of 4"], // reminder 2 + 2 weeks
      ["2026-06-29T08:00:00Z", "follow-up 4 of 4"], // reminder 3 + 3 months = Sat 27 Jun -> Mon
    ] as const;
    for (const [due, label] of expected) {
      expect(new Date(Number((await threadById(id))?.due_at)).toISOString()).toBe(
        new Date(due).toISOString(),
      );
      // A minute early: nothing goes out.
      await cronAt(Date.parse(due) - 60_000);
      expect((await outbox(id)).filter((m) => String(m.text_body).includes(label))).toHaveLength(0);
      await cronAt(Date.parse(due));
      const sent = await outbox(id);
      expect(sent.at(-1)?.text_body).toContain(`This is ${label}.`);
    }
    const thread = await threadById(id);
    expect(thread?.status).toBe("dormant");
    expect(thread?.due_at).toBeNull();
    await cronAt(Date.parse("2027-01-01T00:00:00Z"));
    expect(await outbox(id)).toHaveLength(4);
  });

  it("puts a named time first, then the cadence from step 2", async () => {
    const { id } = await outreachAt(T0, "tomorrow9am@sprout.test");
    await cronAt(Date.parse("2026-03-04T09:00:00Z"));
    expect((await outbox(id)).at(-1)?.text_body).toContain("follow-up 1 of 4");
    // Step 2 is 1 week after the reminder went out, at the reminder time.
    expect((await threadById(id))?.due_at).toBe(Date.parse("2026-03-11T08:00:00Z"));
  });

  it("stops after the named reminder with one-reminder-only", async () => {
    await env.DB.prepare("update users set one_reminder_only = 1").run();
    const { id } = await outreachAt(T0, "2d@sprout.test");
    await cronAt(Date.parse("2026-03-05T08:00:00Z"));
    expect((await outbox(id)).at(-1)?.text_body).toContain("follow-up 1 of 1");
    expect((await threadById(id))?.status).toBe("dormant");
  });

  it("repeats keep-in-touch threads and never goes dormant", async () => {
    const { id } = await outreachAt(T0, "every2weeks@sprout.test");
    let due = Date.parse("2026-03-17T08:00:00Z");
    for (let i = 1; i <= 6; i++) {
      expect((await threadById(id))?.due_at).toBe(due);
      await cronAt(due);
      expect((await outbox(id)).at(-1)?.text_body).toContain(`Keep-in-touch reminder ${i}`);
      due += 14 * DAY;
    }
    expect((await threadById(id))?.status).toBe("scheduled");
  });

  it("moves computed days off the weekend, and leaves them when skip weekends is off", async () => {
    await env.DB.prepare("update users set cadence = '2d,2d'").run();
    // Thursday + 2 days = Saturday -> Monday 9 March.
    const thursday = Date.parse("2026-03-05T10:00:00Z");
    const moved = await outreachAt(thursday, "follow@sprout.test");
    expect(moved.thread.due_at).toBe(Date.parse("2026-03-09T08:00:00Z"));
    await env.DB.prepare("update users set skip_weekends = 0").run();
    const kept = await outreachAt(thursday, "follow@sprout.test");
    expect(kept.thread.due_at).toBe(Date.parse("2026-03-07T08:00:00Z"));
  });

  it("holds a paused user's due reminders without sending, keeping their due time", async () => {
    const { id } = await outreachAt(T0, "1d@sprout.test");
    await env.DB.prepare("update users set paused = 1").run();
    const summary = await cronAt(Date.parse("2026-03-04T08:00:00Z"));
    expect(summary.reminders.held).toBe(1);
    expect(await outbox(id)).toHaveLength(0);
    // Held, not pushed a day at a time: the due time stays what it was.
    const thread = await threadById(id);
    expect(thread?.due_at).toBe(Date.parse("2026-03-04T08:00:00Z"));
    expect(thread?.held).toBe(1);
    expect(thread?.lease_until).toBeNull();
    // A held thread costs later claims nothing: it is not even claimed again.
    const later = await cronAt(Date.parse("2026-03-10T08:00:00Z"));
    expect(later.reminders.claimed).toBe(0);
    expect(await outbox(id)).toHaveLength(0);
  });
});

describe("claiming due threads", () => {
  it("uses an index search for the due query", async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${DUE_QUERY_SQL}`)
      .bind(T0, 100)
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join(" | ");
    expect(plan).toMatch(/SEARCH threads USING INDEX threads_due \(due_at<\?\)/);
    expect(plan).not.toMatch(/SCAN threads/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it("catches up a missed hour oldest first, within the per-run cap", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await outreachAt(T0 + i * 60_000, `${10 + i}m@sprout.test`)).id);
    const config = parseConfig(env);
    if (!config.ok) throw new Error("config");
    const now = T0 + 2 * HOUR;
    const first = await claimAndQueueReminders(openDb(env.DB), env.DB, config.value, now, 3);
    expect(first.summary.claimed).toBe(3);
    const queued = async () =>
      (
        await env.DB.prepare("select thread_id from deliveries where kind = 'reminder'").all<{
          thread_id: string;
        }>()
      ).results
        .map((r) => r.thread_id)
        .sort();
    expect(await queued()).toEqual(ids.slice(0, 3).sort());
    const second = await claimAndQueueReminders(openDb(env.DB), env.DB, config.value, now, 3);
    expect(second.summary.claimed).toBe(2);
    expect(await queued()).toEqual([...ids].sort());
  });

  it("never claims a thread another run holds", async () => {
    const { id } = await outreachAt(T0, "1h@sprout.test");
    await env.DB.prepare("update threads set lease_until = ? where id = ?")
      .bind(T0 + 10 * HOUR, id)
      .run();
    const summary = await cronAt(T0 + 2 * HOUR);
    expect(summary.reminders.claimed).toBe(0);
    // Once the lease runs out (that run died), the thread is taken again.
    const later = await cronAt(T0 + 11 * HOUR);
    expect(later.reminders.claimed).toBe(1);
    expect(await outbox(id)).toHaveLength(1);
  });
});

describe("the reminder email", () => {
  it("threads with the original, escapes what came from email, and carries signed links", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const { id, messageId } = await outreachAt(T0, "5d@sprout.test", {
      subject: `Coffee ${hostile}`,
      to: `"Jane <b>Doe</b>" <jane@example.org>`,
      body: `Hi Jane ${hostile}, would you have time for coffee?`,
      headers: { References: "<earlier@example.org>" },
    });
    await cronAt(Date.parse("2026-03-09T08:00:00Z"));
    const [mail] = await outbox(id);
    expect(mail?.subject).toBe(`Re: Coffee ${hostile}`);
    const headers = JSON.parse(String(mail?.headers_json)) as Record<string, string>;
    expect(headers["In-Reply-To"]).toBe(`<${messageId}>`);
    expect(headers.References).toBe(`<earlier@example.org> <${messageId}>`);
    expect(headers["Auto-Submitted"]).toBe("auto-generated");
    expect(String(mail?.reply_to)).toMatch(new RegExp(`^re-${id}-[a-z2-7]{16}@sprout\\.test$`));
    const text = String(mail?.text_body);
    expect(text).toContain(
      `You wrote to Jane <b>Doe</b> <jane@example.org> about "Coffee ${hostile}" 6 days ago (Tue 3 Mar 2026)`,
    );
    expect(text).toContain("This is follow-up 1 of 4.");
    expect(text).toContain("All your follow-ups, settings and stats: https://sprout.test/login");
    expect(text).toContain(`> Hi Jane ${hostile}, would you have time for coffee?`);
    const html = String(mail?.html_body);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>Doe");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const links = [
      ...text.matchAll(/https:\/\/sprout\.test\/t\/([a-z2-7]+)\/(\w+)\?s=([a-z2-7]+)/g),
    ];
    expect(links.map((l) => l[2])).toEqual(["done", "replied", "snooze", "stop"]);
    for (const [, thread, action, sig] of links) {
      expect(
        await verifyActionLink(
          "test-signing-secret-0123456789abcdef",
          thread ?? "",
          action ?? "",
          sig ?? "",
        ),
      ).toBe(true);
    }
    // The links are stable: the next reminder carries the same ones.
    await cronAt(Date.parse("2026-03-16T08:00:00Z"));
    const second = (await outbox(id)).at(-1);
    expect(String(second?.text_body)).toContain(links[0]?.[0] ?? "missing");
    expect(String(second?.text_body)).toContain("13 days ago");
  });

  it("goes out through the Worker's scheduled handler with scheduledTime as now", async () => {
    const { id } = await outreachAt(T0, "2h@sprout.test");
    const ctx = createExecutionContext();
    const handler: ExportedHandler<Env> = worker;
    await handler.scheduled?.(
      createScheduledController({ scheduledTime: T0 + 2 * HOUR }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await outbox(id)).toHaveLength(1);
  });
});
