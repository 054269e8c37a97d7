import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { threadById } from "../helpers/db";
import { deliver, mime, uniqueId } from "../helpers/email";
import { outreachAt, ownerInZone, rowsFor, wipe } from "../helpers/scenario";

// The lifecycle's "reminder sent" row (src/domain/lifecycle.ts) as the cron job applies it,
// through the Worker's own scheduled handler, with email driving the other rows.

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

/** One cron run through worker.scheduled, with `at` as its scheduledTime. */
async function tick(at: number) {
  vi.setSystemTime(at);
  const ctx = createExecutionContext();
  const handler: ExportedHandler<Env> = worker;
  await handler.scheduled?.(createScheduledController({ scheduledTime: at }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function reminders(threadId: string) {
  return (await rowsFor("dev_outbox", threadId)).map((m) => String(m.text_body));
}

/** Sends each due time's reminder, checking nothing goes out a minute early. */
async function expectRemindersAt(threadId: string, dues: string[], labels: string[]) {
  for (const [i, due] of dues.entries()) {
    expect(new Date(Number((await threadById(threadId))?.due_at)).toISOString()).toBe(due);
    const before = (await reminders(threadId)).length;
    await tick(Date.parse(due) - 60_000);
    expect(await reminders(threadId)).toHaveLength(before);
    await tick(Date.parse(due));
    const sent = await reminders(threadId);
    expect(sent).toHaveLength(before + 1);
    expect(sent.at(-1)).toContain(labels[i]);
  }
}

describe("reminder sent (America/New_York)", () => {
  beforeEach(async () => {
    await ownerInZone("America/New_York");
  });

  it("steps through the cadence at 08:00 local across the DST change, goes dormant, and a Bcc starts a new round", async () => {
    // Tuesday 3 March 2026, 10:00 EST.
    const { id, messageId } = await outreachAt(
      Date.parse("2026-03-03T15:00:00Z"),
      "follow@sprout.test",
    );
    await expectRemindersAt(
      id,
      [
        "2026-03-06T13:00:00.000Z", // Fri 6 Mar, 08:00 EST: 3 business days
        "2026-03-13T12:00:00.000Z", // Fri 13 Mar, 08:00 EDT: 1 week
        "2026-03-27T12:00:00.000Z", // Fri 27 Mar, 08:00 EDT: 2 weeks
        "2026-06-29T12:00:00.000Z", // Sat 27 Jun + weekend: Mon 29 Jun, 08:00 EDT: 3 months
      ],
      ["follow-up 1 of 4", "follow-up 2 of 4", "follow-up 3 of 4", "follow-up 4 of 4"],
    );
    expect((await threadById(id))?.status).toBe("dormant");
    await tick(Date.parse("2026-12-01T12:00:00Z"));
    expect(await reminders(id)).toHaveLength(4);

    // Wednesday 1 July, 10:00 EDT: the owner writes again with follow@ in Bcc.
    vi.setSystemTime(Date.parse("2026-07-01T14:00:00Z"));
    await deliver(
      mime({
        messageId: uniqueId("again"),
        subject: "Re: Coffee next week?",
        headers: { "In-Reply-To": `<${messageId}>` },
      }),
      { to: "follow@sprout.test" },
    );
    await expectRemindersAt(
      id,
      ["2026-07-06T12:00:00.000Z"], // Mon 6 Jul, 08:00 EDT: 3 business days
      ["follow-up 1 of 4"],
    );
    expect((await threadById(id))?.step).toBe(2);
  });
});

describe("keep in touch (Europe/Berlin)", () => {
  beforeEach(async () => {
    await ownerInZone("Europe/Berlin");
  });

  it("a contact's reply moves the next reminder one interval on; the cron sends it then, not before", async () => {
    // Friday 20 March 2026, 11:00 CET.
    const { id, messageId } = await outreachAt(
      Date.parse("2026-03-20T10:00:00Z"),
      "everyweek@sprout.test",
      { cc: "everyweek@sprout.test" },
    );
    await expectRemindersAt(id, ["2026-03-27T07:00:00.000Z"], ["Keep-in-touch reminder 1"]);
    // After it, Friday 3 April at 08:00 CEST is next; Jane answers on Wednesday 1 April.
    expect(new Date(Number((await threadById(id))?.due_at)).toISOString()).toBe(
      "2026-04-03T06:00:00.000Z",
    );
    vi.setSystemTime(Date.parse("2026-04-01T10:00:00Z"));
    await deliver(
      mime({
        from: "Jane Doe <jane@example.org>",
        to: "Olivia Owner <owner@example.com>",
        cc: "everyweek@sprout.test",
        subject: "Re: Coffee next week?",
        headers: { "In-Reply-To": `<${messageId}>` },
      }),
      { from: "jane@example.org", to: "everyweek@sprout.test" },
    );
    expect((await threadById(id))?.status).toBe("scheduled");
    await tick(Date.parse("2026-04-03T06:00:00Z"));
    expect(await reminders(id)).toHaveLength(1);
    await expectRemindersAt(id, ["2026-04-08T06:00:00.000Z"], ["Keep-in-touch reminder 2"]);
    expect((await threadById(id))?.status).toBe("scheduled");
  });
});
