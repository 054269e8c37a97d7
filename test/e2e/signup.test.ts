import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, outbox, postEmail, runCron, startDev } from "./harness";

// Black box: `npm run dev -- --var SIGNUP:open` (SENDER_AUTH=off, as `npm run dev` sets it).
// A stranger writes with 3d@ in Bcc; the message is held and answered by one confirmation
// email; following its link (GET the page, POST its button) creates the account and tracks
// the held outreach; running the clock brings its first reminder.
let server: DevServer;
const STRANGER = "newbie@example.net";

beforeAll(async () => {
  server = await startDev({ SIGNUP: "open", MAIL_DOMAIN: "sprout.localhost" });
});
afterAll(async () => {
  await server?.stop();
});

async function threads(): Promise<{ messageId: string; dueAt: number | null; sentAt: number }[]> {
  const res = await fetch(`${server.url}/dev/threads.json`);
  return (
    (await res.json()) as { threads: { messageId: string; dueAt: number | null; sentAt: number }[] }
  ).threads;
}

describe("a stranger signs up by mail through wrangler dev", () => {
  it("is held, confirms through the emailed link, lands on the threads page, and gets the reminder", async () => {
    const sentAt = Date.now();
    const raw = [
      "From: Nadia Newbie <newbie@example.net>",
      "To: Jane Recruiter <jane@example.org>",
      "Subject: Platform role at Northwind",
      "Message-ID: <bb-signup-1@example.net>",
      `Date: ${new Date(sentAt).toUTCString()}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hi Jane, would you have 20 minutes next week? Best, Nadia",
      "",
    ].join("\r\n");
    const posted = await postEmail(server, raw, STRANGER, "3d@sprout.localhost");
    expect(posted.status).toBeLessThan(300);
    // Held: nothing tracked yet, and the one email a pending address gets.
    expect((await threads()).some((t) => t.messageId === "bb-signup-1@example.net")).toBe(false);
    const mail = (await outbox(server)).filter((m) => m.to === STRANGER);
    expect(mail.map((m) => m.subject)).toEqual(["Confirm your address to start using Sprout"]);
    const link = /http:\/\/\S+\/signup\/confirm\?token=[a-z2-7]{52}/.exec(mail[0]?.text ?? "")?.[0];
    expect(link).toBeDefined();
    const url = new URL(link ?? "");
    // Follow the link on this server (PUBLIC_URL says localhost, the test talks to 127.0.0.1).
    const target = `${server.url}${url.pathname}${url.search}`;

    const page = await fetch(target);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Start using Sprout as <strong>newbie@example.net</strong>?");
    const token = /name="token" value="([a-z2-7]{52})"/.exec(html)?.[1];
    expect(token).toBe(url.searchParams.get("token"));
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(action).toBe("/signup/confirm");

    // Press the button, as a browser on that page would.
    const confirmed = await fetch(`${server.url}${action}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Sec-Fetch-Site": "same-origin",
      },
      body: new URLSearchParams({ token: token ?? "" }),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("Location")).toBe("/threads");
    const cookie = (confirmed.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^sprout_session=[a-z2-7]{52}$/);

    const listed = await fetch(`${server.url}/threads`, { headers: { Cookie: cookie } });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain("Platform role at Northwind");
    const thread = (await threads()).find((t) => t.messageId === "bb-signup-1@example.net");
    // Its sent time is when the message arrived, not when the address was confirmed.
    expect(thread?.sentAt).toBeGreaterThanOrEqual(sentAt - 1000);
    expect(thread?.sentAt).toBeLessThanOrEqual(sentAt + 10_000);
    expect(thread?.dueAt).not.toBeNull();

    // The link works once.
    const again = await fetch(target);
    expect(await again.text()).toContain("already used");

    const reminders = async () =>
      (await outbox(server)).filter(
        (m) => m.to === STRANGER && m.subject === "Re: Platform role at Northwind",
      );
    await runCron(server, (thread?.dueAt ?? 0) - 60_000);
    expect(await reminders()).toHaveLength(0);
    const ran = await runCron(server, thread?.dueAt ?? 0);
    expect(ran.status).toBe(200);
    const [reminder] = await reminders();
    expect(reminder?.headers["In-Reply-To"]).toBe("<bb-signup-1@example.net>");
    expect(reminder?.text).toContain("You wrote to Jane Recruiter <jane@example.org>");
  });
});
