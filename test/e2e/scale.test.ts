import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeResendServer, startFakeResend } from "./fake-resend-server";
import { type DevServer, outreach, postEmail, runCron, startDev } from "./harness";

// Black box, SPEC section 10: wrangler dev sends through the real Resend adapter to a fake
// Resend that enforces 2 requests a second (429 beyond, like Resend's default).
const ROOT = resolve(import.meta.dirname, "../..");
const DAY = 86_400_000;

/** A user may start 200 tracked threads a day (SPEC 9): the spike comes from six owners. */
const SENDERS = Array.from({ length: 6 }, (_, i) => `me${i + 1}@example.com`);
const PER_SENDER = 200;

/** Posts `n` outreaches to `to`, four at a time, 200 per owner; returns their subjects. */
async function outreaches(server: DevServer, n: number, tag: string, to: string) {
  const subjects = Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`);
  for (let i = 0; i < n; i += 4) {
    const posted = await Promise.all(
      subjects
        .slice(i, i + 4)
        .map((subject, j) =>
          postEmail(
            server,
            outreach(`${tag}-${i + j}@example.com`, subject, undefined, senderOf(i + j)),
            senderOf(i + j),
            to,
          ),
        ),
    );
    for (const p of posted) expect(p.status).toBeLessThan(300);
  }
  return subjects;
}

function senderOf(index: number): string {
  return SENDERS[Math.floor(index / PER_SENDER)] ?? "me@example.com";
}

/** How many emails went out per subject, for subjects starting "Re: <tag> ". */
function countsFor(resend: FakeResendServer, tag: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const email of resend.emails) {
    const subject = String(email.subject);
    if (subject.startsWith(`Re: ${tag} `)) counts.set(subject, (counts.get(subject) ?? 0) + 1);
  }
  return counts;
}

describe("a spike through the cron loop", () => {
  let resend: FakeResendServer;
  let server: DevServer;
  beforeAll(async () => {
    resend = await startFakeResend({ ratePerSecond: 2 });
    server = await startDev({
      OWNERS: SENDERS.join(","),
      MAIL_DOMAIN: "sprout.localhost",
      RESEND_API_KEY: "re_blackbox",
      RESEND_BASE_URL: resend.url,
      SEND_RATE: "2",
    });
  });
  afterAll(async () => {
    await server?.stop();
    await resend?.close();
  });

  it("sends 1,200 reminders due in the same minute in one cron run at SEND_RATE=2, none twice", async () => {
    const sentAt = Date.now();
    await outreaches(server, 1200, "Spike", "3d@sprout.localhost");
    expect(resend.emails).toHaveLength(0);
    // A week on, every reminder (3 days, moved off a weekend at most) is due at 08:00.
    const ran = await runCron(server, sentAt + 7 * DAY);
    expect(ran.status).toBe(200);
    const counts = countsFor(resend, "Spike");
    expect(counts.size).toBe(1200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // In 12 requests of 100 (plus any refused with 429 and sent again with the same key).
    const carrying = resend.requests.filter((r) => JSON.stringify(r.body).includes("Re: Spike "));
    const keys = new Set(carrying.map((r) => String(r.headers["idempotency-key"])));
    expect(keys.size).toBe(12);
    // Nothing is left for a second run.
    await runCron(server, sentAt + 7 * DAY + 60_000);
    expect(countsFor(resend, "Spike").size).toBe(1200);
    expect([...countsFor(resend, "Spike").values()].every((n) => n === 1)).toBe(true);
  }, 300_000);
});

describe("the queue path in wrangler dev", () => {
  let resend: FakeResendServer;
  let server: DevServer;
  let configDir: string;
  beforeAll(async () => {
    // The default wrangler.toml has no queue (it is optional): this run adds one, as
    // wrangler.toml's comment says to, in a copy of the config.
    configDir = mkdtempSync(join(tmpdir(), "sprout-e2e-queue-"));
    const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
      .replace('main = "src/index.ts"', `main = "${join(ROOT, "src/index.ts")}"`)
      .replace('migrations_dir = "migrations"', `migrations_dir = "${join(ROOT, "migrations")}"`);
    const queue = `sprout-send-${Date.now()}`;
    const path = join(configDir, "wrangler.toml");
    writeFileSync(
      path,
      `${config}
[[queues.producers]]
binding = "SEND_QUEUE"
queue = "${queue}"

[[queues.consumers]]
queue = "${queue}"
max_batch_size = 100
max_batch_timeout = 1
max_concurrency = 1
`,
    );
    resend = await startFakeResend({ ratePerSecond: 2 });
    server = await startDev(
      {
        OWNERS: SENDERS.join(","),
        MAIL_DOMAIN: "sprout.localhost",
        RESEND_API_KEY: "re_blackbox",
        RESEND_BASE_URL: resend.url,
      },
      ["--config", path],
    );
  });
  afterAll(async () => {
    await server?.stop();
    await resend?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("the cron run enqueues due reminders and the consumer sends each once", async () => {
    const sentAt = Date.now();
    await outreaches(server, 150, "Queued", "3d@sprout.localhost");
    const ran = await runCron(server, sentAt + 7 * DAY);
    expect(ran.status).toBe(200);
    // The consumer runs on its own, a batch at most a second after the messages land.
    const deadline = Date.now() + 60_000;
    while (countsFor(resend, "Queued").size < 150 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const counts = countsFor(resend, "Queued");
    expect(counts.size).toBe(150);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(server.logs()).toMatch(/"event":"queue"/);
    expect(server.logs()).toMatch(/"event":"cron","now":"[^"]+","mode":"queue"/);
    // A later run finds nothing due and sends nothing more.
    await runCron(server, sentAt + 7 * DAY + 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(countsFor(resend, "Queued").size).toBe(150);
    expect([...countsFor(resend, "Queued").values()].every((n) => n === 1)).toBe(true);
  }, 300_000);
});
