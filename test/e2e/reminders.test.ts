import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeResendServer, startFakeResend } from "./fake-resend-server";
import { type DevServer, postEmail, runCron, startDev } from "./harness";

// Black box: wrangler dev sends through the real Resend adapter to a local fake Resend.
let resend: FakeResendServer;
let server: DevServer;

beforeAll(async () => {
  resend = await startFakeResend();
  server = await startDev({
    OWNERS: "me@example.com",
    MAIL_DOMAIN: "sprout.localhost",
    RESEND_API_KEY: "re_blackbox",
    RESEND_BASE_URL: resend.url,
  });
});
afterAll(async () => {
  await server?.stop();
  await resend?.close();
});

describe("reminders through wrangler dev and a fake Resend", () => {
  it("delivers the reminder once, threaded and signed, when the clock runs forward", async () => {
    const sentAt = Date.now();
    const raw = [
      "From: Me <me@example.com>",
      "To: Jane Recruiter <jane@example.org>",
      "Subject: Platform role",
      "Message-ID: <bb-reminder-1@example.com>",
      `Date: ${new Date(sentAt).toUTCString()}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hi Jane, would you have 20 minutes next week? Best, Me",
      "",
    ].join("\r\n");
    const posted = await postEmail(server, raw, "me@example.com", "3d@sprout.localhost");
    expect(posted.status).toBeLessThan(300);
    expect(resend.requests).toHaveLength(0);

    // The weekly digest may go out in these runs too (in the same batch request, even):
    // look at the reminder emails, and at the requests that carried them.
    const reminders = () => resend.emails.filter((e) => e.subject === "Re: Platform role");
    const carrying = () =>
      resend.requests.filter((r) => JSON.stringify(r.body).includes("<bb-reminder-1@example.com>"));

    // Two days on: nothing is due yet.
    await runCron(server, sentAt + 2 * 86_400_000);
    expect(reminders()).toHaveLength(0);
    // A week on (3 days may end on a weekend, which moves to Monday): the reminder goes
    // out; a second run a minute later sends nothing more.
    const ran = await runCron(server, sentAt + 7 * 86_400_000);
    expect(ran.status).toBe(200);
    await runCron(server, sentAt + 7 * 86_400_000 + 60_000);
    expect(reminders()).toHaveLength(1);
    expect(carrying()).toHaveLength(1);
    const [request] = carrying();
    expect(["/emails", "/emails/batch"]).toContain(request?.path);
    expect(request?.headers.authorization).toBe("Bearer re_blackbox");
    expect(typeof request?.headers["idempotency-key"]).toBe("string");
    const email = reminders()[0] ?? {};
    expect(email.to).toBe("me@example.com");
    expect(email.subject).toBe("Re: Platform role");
    expect(email.headers).toMatchObject({
      "In-Reply-To": "<bb-reminder-1@example.com>",
      References: "<bb-reminder-1@example.com>",
      "Auto-Submitted": "auto-generated",
    });
    expect(String(email.reply_to)).toMatch(/^re-[a-z2-7]{10}-[a-z2-7]{16}@sprout\.localhost$/);
    expect(String(email.text)).toContain("You wrote to Jane Recruiter <jane@example.org>");
    expect(String(email.text)).toContain("This is follow-up 1 of 4.");
  });

  it("sends help@ replies through Resend too, with an Idempotency-Key", async () => {
    const before = resend.requests.length;
    const raw = [
      "From: Me <me@example.com>",
      "To: help@sprout.localhost",
      "Subject: help",
      "Message-ID: <bb-help-1@example.com>",
      "",
      "help",
      "",
    ].join("\r\n");
    await postEmail(server, raw, "me@example.com", "help@sprout.localhost");
    expect(resend.requests.length).toBe(before + 1);
    const last = resend.requests.at(-1);
    expect(typeof last?.headers["idempotency-key"]).toBe("string");
    expect(last?.body).toMatchObject({ subject: "How to use Sprout" });
  });
});
