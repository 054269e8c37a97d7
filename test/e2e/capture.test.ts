import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, outreach as makeOutreach, outbox, postEmail, startDev } from "./harness";

// Black box: the real `npm run dev` script and wrangler's local email endpoint.
let server: DevServer;

beforeAll(async () => {
  // SIGNUP=closed: a stranger's mail is refused rather than held for a sign-up (that path
  // has its own black-box test, test/e2e/signup.test.ts).
  server = await startDev({
    OWNERS: "me@example.com",
    MAIL_DOMAIN: "sprout.localhost",
    SIGNUP: "closed",
  });
});
afterAll(async () => {
  await server?.stop();
});

const outreach = (messageId: string, subject: string) =>
  makeOutreach(
    messageId,
    subject,
    "Hi Jane, I saw the platform role and would love to chat. Best, Me",
  );

describe("capture through wrangler dev", () => {
  it("stores a BCC'd outreach with the right due time and list@ shows it", async () => {
    const sentAt = Date.now();
    const posted = await postEmail(
      server,
      outreach("e2e-1@example.com", "Platform role"),
      "me@example.com",
      "2h@sprout.localhost",
    );
    expect(posted.status).toBeLessThan(300);
    const threads = (await (await fetch(`${server.url}/dev/threads.json`)).json()) as {
      threads: { subject: string; status: string; dueAt: number }[];
    };
    const thread = threads.threads.find((t) => t.subject === "Platform role");
    expect(thread?.status).toBe("scheduled");
    // Hours are exact offsets from arrival.
    expect(Math.abs((thread?.dueAt ?? 0) - (sentAt + 2 * 3600_000))).toBeLessThan(60_000);

    await postEmail(
      server,
      outreach("e2e-2@example.com", "list").replace(
        "To: Jane Recruiter <jane@example.org>",
        "To: list@sprout.localhost",
      ),
      "me@example.com",
      "list@sprout.localhost",
    );
    const [latest] = await outbox(server);
    expect(latest?.to).toBe("me@example.com");
    expect(latest?.subject).toBe("Your pending follow-ups (1)");
    expect(latest?.text).toContain('Jane Recruiter <jane@example.org>, "Platform role"');
  });

  it("rejects an unknown address and an unknown sender in-session", async () => {
    const unknown = await postEmail(
      server,
      outreach("e2e-3@example.com", "x"),
      "me@example.com",
      "bogus@sprout.localhost",
    );
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.body).toContain("no address");
    const stranger = await postEmail(
      server,
      outreach("e2e-4@example.com", "x").replace("me@example.com", "eve@example.net"),
      "eve@example.net",
      "3d@sprout.localhost",
    );
    expect(stranger.status).toBeGreaterThanOrEqual(400);
    expect(stranger.body).toContain("eve@example.net is not one");
  });

  it("serves the dev outbox as HTML", async () => {
    const res = await fetch(`${server.url}/dev/outbox`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Your pending follow-ups");
  });
});
