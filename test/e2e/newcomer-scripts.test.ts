// Black box: the newcomer's scripts (npm run try, demo, reply) against a real `npm run dev`
// started on a port other than 8787, found through the file the dev script writes.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, freePort, outbox, postEmail, startDev } from "./harness";

const ROOT = resolve(import.meta.dirname, "../..");
let server: DevServer;
let scratch: string;

beforeAll(async () => {
  server = await startDev({ OWNERS: "me@example.com", MAIL_DOMAIN: "sprout.localhost" });
  scratch = mkdtempSync(join(tmpdir(), "sprout-scripts-"));
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run <script> -- ...args` (or the script file when npm is not at hand). */
function npmRun(script: string, args: string[], stateFile = server.stateFile): Promise<Run> {
  const files: Record<string, string> = {
    try: "scripts/send-sample.mjs",
    demo: "scripts/demo.mjs",
    reply: "scripts/reply.mjs",
  };
  const npm = process.env.npm_execpath;
  const argv =
    npm === undefined
      ? [join(ROOT, files[script] ?? script), ...args]
      : [npm, "run", "--silent", script, "--", ...args];
  return new Promise((done) => {
    execFile(
      process.execPath,
      argv,
      { cwd: ROOT, env: { ...process.env, SPROUT_DEV_STATE: stateFile }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}

interface DevThread {
  id: string;
  createdAt: number;
  subject: string;
  status: string;
  dueAt: number | null;
  messageId: string;
}

async function devThreads(): Promise<DevThread[]> {
  const res = await fetch(`${server.url}/dev/threads.json`);
  return ((await res.json()) as { threads: DevThread[] }).threads;
}

const local = () => `http://localhost:${server.port}`;

describe("npm run dev on a port of its own", () => {
  it("records where it runs, with the owner and the mail domain", () => {
    expect(server.port).not.toBe(8787);
    const state = JSON.parse(readFileSync(server.stateFile, "utf8")) as Record<string, unknown>;
    expect(state).toMatchObject({
      url: local(),
      publicUrl: local(),
      owner: "me@example.com",
      mailDomain: "sprout.localhost",
    });
  });

  it("try finds it without --url and posts the sample as the owner", async () => {
    const run = await npmRun("try", []);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "POST to 3d@sprout.localhost (envelope from me@example.com): HTTP 200",
    );
    expect(run.stdout).toMatch(/Stored thread [a-z2-7]{10}: "Coffee next week\?"/);
    expect(run.stdout).toContain(`${local()}/dev/outbox`);
  });

  it("try says why Sprout refused a message, and fails", async () => {
    const run = await npmRun("try", ["marketing"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("POST to marketing@sprout.localhost");
    expect(run.stdout).toContain(
      'Refused: Worker rejected email with the following reason: Sprout has no address "marketing@sprout.localhost"',
    );
  });

  it("try posts any .eml: adds a missing Message-ID and makes the owner its sender", async () => {
    const eml = join(scratch, "own.eml");
    const raw = [
      "From: Someone Else <someone@example.net>",
      "To: Bob Builder <bob@example.org>",
      "Subject: An .eml of my own",
      "Date: Fri, 04 Dec 2026 10:00:00 +0000",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hello Bob, would you have time for a call next week?",
      "",
    ].join("\n");
    writeFileSync(eml, raw);

    // As is, the file is refused by wrangler (no Message-ID); with one, from an address that
    // is no user, Sprout tracks nothing: with SIGNUP=open (the default) it holds the message
    // and asks the sender to confirm the address first.
    const bare = await postEmail(server, raw, "someone@example.net", "follow@sprout.localhost");
    expect(bare.status).toBeGreaterThanOrEqual(400);
    const withId = raw.replace("MIME-Version", "Message-ID: <own-1@example.net>\nMIME-Version");
    const stranger = await postEmail(server, withId, "someone@example.net", "f@sprout.localhost");
    expect(stranger.status).toBe(200);
    expect((await devThreads()).some((t) => t.subject === "An .eml of my own")).toBe(false);
    const confirmation = await fetch(`${server.url}/dev/outbox.json`);
    const { messages } = (await confirmation.json()) as {
      messages: { to: string; subject: string }[];
    };
    expect(messages.filter((m) => m.to === "someone@example.net").map((m) => m.subject)).toEqual([
      "Confirm your address to start using Sprout",
    ]);

    const run = await npmRun("try", [eml, "follow@sprout.localhost"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/added Message-ID <try-[^>]+> \(the file has none/);
    expect(run.stdout).toContain(
      "made me@example.com its sender (From and envelope; the file had From Someone Else <someone@example.net>)",
    );
    expect(run.stdout).toContain("envelope from me@example.com): HTTP 200");
    const thread = (await devThreads()).find((t) => t.subject === "An .eml of my own");
    expect(thread?.status).toBe("scheduled");
    // The file's own Message-ID is kept when it has one.
    const kept = join(scratch, "kept.eml");
    writeFileSync(kept, withId.replace("An .eml of my own", "Kept id"));
    const second = await npmRun("try", [kept, "3d"]);
    expect(second.stdout).not.toContain("added Message-ID");
    expect((await devThreads()).find((t) => t.subject === "Kept id")?.messageId).toBe(
      "own-1@example.net",
    );
  });

  it("demo shows a reminder whose links point at this port", async () => {
    const run = await npmRun("demo", []);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Subject: Re: Coffee next week?");
    expect(run.stdout).toContain(`Done: ${local()}/t/`);
    expect(run.stdout).toContain(`All your follow-ups, settings and stats: ${local()}/login`);
    expect(run.stdout).not.toContain("localhost:8787");
    const [reminder] = (await outbox(server)).filter((m) => m.subject === "Re: Coffee next week?");
    expect(reminder?.html).toContain(`href="${local()}/t/`);
  });

  it("reply answers the newest reminder through its Reply-To, as a mail app would", async () => {
    // The newest mail with a reply address; mail of one cron run shares its moment, and
    // then the one about the most recently created thread is the newest (scripts/reply.mjs).
    const answerable = (await outbox(server)).filter((m) => m.replyTo !== null);
    const threadOf = (replyTo: string | null) => /^re-([a-z2-7]+)-/.exec(replyTo ?? "")?.[1];
    const rows = await devThreads();
    const createdAt = (replyTo: string | null) =>
      rows.find((t) => t.id === threadOf(replyTo))?.createdAt ?? 0;
    const newest = answerable
      .filter((m) => m.createdAt === answerable[0]?.createdAt)
      .sort((a, b) => createdAt(b.replyTo) - createdAt(a.replyTo))[0];
    const threadId = threadOf(newest?.replyTo ?? null);
    expect(threadId).toBeDefined();
    const run = await npmRun("reply", ["stop"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`POST to ${newest?.replyTo} (from me@example.com): HTTP 200`);
    expect(run.stdout).toContain("Sprout answered: Re: ");
    expect((await devThreads()).find((t) => t.id === threadId)?.status).toBe("stopped");
  });

  it("reply --to picks a reminder; an unknown one, or no command, changes nothing", async () => {
    const reminders = (await outbox(server)).filter((m) => m.replyTo !== null);
    const target = reminders.at(-1);
    const threadId = /^re-([a-z2-7]+)-/.exec(target?.replyTo ?? "")?.[1];
    const before = (await devThreads()).find((t) => t.id === threadId);
    const run = await npmRun("reply", ["--to", target?.replyTo ?? "", "snooze", "2w"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("with: snooze 2w");
    const after = (await devThreads()).find((t) => t.id === threadId);
    expect(after?.dueAt).not.toBe(before?.dueAt);

    const count = (await outbox(server)).length;
    const unknown = await npmRun("reply", ["--to", "re-aaaaaaaaaa-bbbb@sprout.localhost", "stop"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no mail in the dev outbox has Reply-To re-aaaaaaaaaa-bbbb");
    const empty = await npmRun("reply", []);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("Usage: npm run reply");
    expect((await outbox(server)).length).toBe(count);
  });

  it("says where it looked when the recorded server is gone; --url wins over the file", async () => {
    const stale = join(scratch, "stale.json");
    const dead = await freePort();
    writeFileSync(stale, JSON.stringify({ url: `http://localhost:${dead}`, pid: 1 }));
    const lost = await npmRun("try", [], stale);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain(`Could not reach Sprout at http://localhost:${dead}`);
    expect(lost.stderr).toContain(stale);
    expect(lost.stderr).toContain("npm run dev");

    const found = await npmRun("try", ["--url", server.url, "--from", "me@example.com"], stale);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain("HTTP 200");
  });
});

describe("npm run dev with PUBLIC_URL given", () => {
  let other: DevServer;
  beforeAll(async () => {
    other = await startDev({ OWNERS: "me@example.com", PUBLIC_URL: "http://sprout.test:9" });
  });
  afterAll(async () => {
    await other?.stop();
  });

  it("keeps the given PUBLIC_URL in links, and still records where it runs", async () => {
    const state = JSON.parse(readFileSync(other.stateFile, "utf8")) as Record<string, unknown>;
    expect(state).toMatchObject({
      url: `http://localhost:${other.port}`,
      publicUrl: "http://sprout.test:9",
      // Not given: read from wrangler.toml's [vars].
      mailDomain: "sprout.localhost",
    });
    const raw = [
      "From: me@example.com",
      "To: login@sprout.localhost",
      "Subject: login",
      "Message-ID: <login-public-url@example.com>",
      "",
      "login",
      "",
    ].join("\r\n");
    await postEmail(other, raw, "me@example.com", "login@sprout.localhost");
    const [mail] = await outbox(other);
    expect(mail?.text).toContain("http://sprout.test:9/login/confirm?token=");
  });
});
