import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, outbox, postEmail, runCron, startDev } from "./harness";

// Black box: reminder, reply "snooze 2 days", and the next reminder arrives two days
// after the reply (at the reminder time, 08:00 UTC here), not before.
let server: DevServer;

beforeAll(async () => {
  server = await startDev({ OWNERS: "me@example.com", MAIL_DOMAIN: "sprout.localhost" });
});
afterAll(async () => {
  await server?.stop();
});

async function threadDue(messageId: string): Promise<number | null> {
  const res = await fetch(`${server.url}/dev/threads.json`);
  const { threads } = (await res.json()) as {
    threads: { messageId: string; dueAt: number | null }[];
  };
  return threads.find((t) => t.messageId === messageId)?.dueAt ?? null;
}

/** Two calendar days after `at` (UTC) at 08:00, moved off the weekend as Sprout does. */
function twoDaysAfter(at: number): number {
  const d = new Date(at);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 2, 8));
  const weekday = target.getUTCDay();
  if (weekday === 6) target.setUTCDate(target.getUTCDate() + 2);
  if (weekday === 0) target.setUTCDate(target.getUTCDate() + 1);
  return target.getTime();
}

describe("reply commands through wrangler dev", () => {
  it("snooze 2 days moves the next reminder to two days after the reply", async () => {
    const outreach = [
      "From: Me <me@example.com>",
      "To: Jane Recruiter <jane@example.org>",
      "Subject: Platform role",
      "Message-ID: <bb-snooze-1@example.com>",
      "",
      "Hi Jane, would you have 20 minutes next week?",
      "",
    ].join("\r\n");
    await postEmail(server, outreach, "me@example.com", "1h@sprout.localhost");
    const firstDue = await threadDue("bb-snooze-1@example.com");
    expect(firstDue).not.toBeNull();
    await runCron(server, firstDue ?? 0);
    const reminder = (await outbox(server)).find(
      (m) => m.headers["In-Reply-To"] === "<bb-snooze-1@example.com>",
    );
    expect(reminder?.replyTo).toMatch(/^re-/);

    const repliedAt = Date.now();
    const reply = [
      "From: Me <me@example.com>",
      `To: Sprout <${reminder?.replyTo}>`,
      "Subject: Re: Platform role",
      "Message-ID: <bb-snooze-2@example.com>",
      "In-Reply-To: <bb-snooze-1@example.com>",
      "",
      "snooze 2 days",
      "",
      "On Tue, Sprout <sprout@sprout.localhost> wrote:",
      "> You wrote to Jane Recruiter",
      "",
    ].join("\r\n");
    const posted = await postEmail(server, reply, "me@example.com", reminder?.replyTo ?? "");
    expect(posted.status).toBeLessThan(300);
    const due = await threadDue("bb-snooze-1@example.com");
    expect(due).toBe(twoDaysAfter(repliedAt));
    const confirmation = (await outbox(server)).find(
      (m) => m.headers["In-Reply-To"] === "<bb-snooze-2@example.com>",
    );
    expect(confirmation?.text).toContain("Snoozed: Sprout will remind you on");

    const reminders = async () =>
      (await outbox(server)).filter(
        (m) => m.subject === "Re: Platform role" && m.text.includes("You wrote to"),
      );
    await runCron(server, (due ?? 0) - 60_000);
    expect(await reminders()).toHaveLength(1);
    await runCron(server, due ?? 0);
    expect(await reminders()).toHaveLength(2);
  });
});
