import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEV_SIGNING_SECRET } from "../../src/config";
import { actionLink, digestUnsubscribeLink } from "../../src/domain/links";
import { replyAddress } from "../../src/domain/reply-address";
import worker from "../../src/index";
import { outboxReplyingTo, threadById, threadByMessageId } from "../helpers/db";
import { deliver, emailMessage, mime, uniqueId } from "../helpers/email";
import { outreachAt, wipe } from "../helpers/scenario";
import { BASE, cookieFor, web } from "../web/helpers";

// The security regression suite, part 1: every row of issue 9's table ("found" by a review
// that attacked a local Sprout) as a test through the Worker's entry points. Timing is never
// asserted here (workerd's clock stands still during synchronous code): CPU rows assert
// bounds and results; bench/node/hostile.node-bench.ts measures the time of the same inputs in
// each handler.
//
// Checked against the code before the fixes: this file and its helpers copied into a tree
// of commit ef61d23 (main before the issue-9 work, composeEmail included) and, for header
// injection, of its parent beff6af (before composeEmail).
//
// | row of the table  | here                                    | before the fix              |
// | ----------------- | --------------------------------------- | --------------------------- |
// | CPU exhaustion    | snooze page, signed-in snooze, reply    | failed at ef61d23: pages of |
// |                   | command line, 900,000-char address      | 500-700 KB, 5 s timeouts    |
// |                   | (time: bench/node/hostile.node-bench)   | (chrono ran 14-69 s)        |
// | header injection  | the review's Bcc, U+2028, the 250 cap   | failed at beff6af: subject  |
// |                   | (every header: test/mail/compose.test)  | 'Re: Hello\r\nBcc: victim@..' |
// | weak signatures   | action links, digest unsubscribe        | failed at ef61d23 (cut to   |
// |                   | (test/domain/signing.test.ts)           | 16, upper-cased: accepted)  |
// |                   | reply addresses, tokens, session ids    | passed: already exact       |
// | unsafe config     | DEV_OUTBOX on https: web, email         | failed at ef61d23           |
// |                   | (cron too: test/config.test.ts)         |                             |
// | CSV               | test/web/account.test.ts ("quotes a     | failed at ef61d23           |
// |                   | subject ... `;` spreadsheet"), csv.test |                             |
// | unbounded storage | the stored-subject and detail caps;     | failed at ef61d23 (990)     |
// |                   | pruning: the cron job's retention sweep |                             |
// | auto-reply gaps   | the review's five, to a reply address   | failed at ef61d23           |
// |                   | and a tracking address (fixtures, each  |                             |
// |                   | marker alone: inbound/loop-guard.test)  |                             |
// | leftover data     | test/security/account-delete.test.ts    | failed at ef61d23           |
//
// The cases the review found already handled are in test/security/handled.test.ts.

const SECRET = env.SIGNING_SECRET ?? "";
// Tuesday 3 March 2026, 10:00 UTC.
const T0 = Date.parse("2026-03-03T10:00:00Z");

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The owner's tracked thread (owner@example.com is in OWNERS). */
async function ownerThread(subject = "Coffee next week?") {
  return outreachAt(T0, "follow@sprout.test", { subject });
}

async function ownerCookie(): Promise<string> {
  const row = await env.DB.prepare("select id from users where email = 'owner@example.com'").first<{
    id: string;
  }>();
  return cookieFor(String(row?.id), T0);
}

/** The path and signature of a reminder's action link. */
async function link(threadId: string, action: "done" | "replied" | "snooze" | "stop") {
  const url = new URL(await actionLink(SECRET, BASE, threadId, action));
  return { path: url.pathname, sig: url.searchParams.get("s") ?? "" };
}

async function inboundOf(messageId: string) {
  return env.DB.prepare("select * from inbound where message_id = ?")
    .bind(messageId)
    .first<Record<string, string | null>>();
}

describe("CPU exhaustion: a hostile time costs a bounded amount of work", () => {
  // Under the 64 KB request limit, so the field reaches the time grammar and chrono-node.
  const HOSTILE_TIMES = [
    ["aug 15 ", 9_000],
    ["next tuesday ", 4_800],
    ["9:30 ", 8_000],
  ] as const;

  it.each(HOSTILE_TIMES)(
    "the snooze page (POST /t/<id>/snooze) answers %j x %i, quoting at most 200 characters",
    async (unit, times) => {
      const { id } = await ownerThread();
      const { path, sig } = await link(id, "snooze");
      const when = unit.repeat(times);
      const res = await web(path, { form: { s: sig, when } });
      // Either understood (from its first 200 characters) or refused: never the input back.
      expect([200, 400]).toContain(res.status);
      expect(res.text.length).toBeLessThan(10_000);
      // Anything longer than 200 characters of it would be more than the cut.
      expect(res.text).not.toContain(unit.repeat(Math.ceil(201 / unit.length)).trim());
      const due = Number((await threadById(id))?.due_at);
      expect(due).toBeGreaterThan(T0);
    },
  );

  it("the signed-in snooze button (POST /threads/<id>/snooze) reads 200 characters too", async () => {
    const { id } = await ownerThread();
    const res = await web(`/threads/${id}/snooze`, {
      cookie: await ownerCookie(),
      form: { when: "aug 15 ".repeat(9_000) },
    });
    expect([200, 400]).toContain(res.status);
    expect(res.text).not.toContain("aug 15 ".repeat(30).trim());
  });

  it.each([
    ['the review\'s snooze field, "aug 15 " x 100,000', "/t/:id/snooze"],
    ["a signed-in snooze of 700 KB", "/threads/:id/snooze"],
    ["a 1 MB sign-in address", "/login"],
    ["a 1 MB sign-in token", "/login/confirm"],
    ["a 1 MB cadence", "/settings"],
  ])("%s is refused before it is read (413): no form is larger than 64 KB", async (_n, route) => {
    const { id } = await ownerThread();
    const { sig } = await link(id, "snooze");
    const before = await threadById(id);
    const big = "aug 15 ".repeat(100_000);
    const res = await web(route.replace(":id", id), {
      cookie: await ownerCookie(),
      form: { s: sig, when: big, email: big, token: big, cadence: big, timeZone: "UTC" },
    });
    expect(res.status).toBe(413);
    expect(res.text.length).toBeLessThan(5_000);
    expect(await threadById(id)).toEqual(before);
  });

  it.each([
    ["aug 15 ", 130_000],
    ["snooze aug 15 ", 65_000],
    ["x", 900_000],
  ])(
    "a reply whose first line is %j x %i is answered with at most 200 characters of it",
    async (unit, times) => {
      const { id } = await ownerThread();
      const address = await replyAddress(SECRET, id, "sprout.test");
      const messageId = uniqueId("cpu");
      const record = await deliver(
        mime({
          messageId,
          to: address,
          subject: "Re: Coffee next week?",
          body: `${unit.repeat(times)}\r\n`,
        }),
        { to: address },
      );
      expect(record.rejected).toBeNull();
      const row = await inboundOf(messageId);
      expect(row?.outcome).toMatch(/^reply:/);
      expect(String(row?.detail ?? "").length).toBeLessThanOrEqual(500);
      for (const mail of await outboxReplyingTo(messageId)) {
        expect(String(mail.text_body).length).toBeLessThan(5_000);
      }
    },
  );

  it("an address of 900,000 characters is routed from its first 200", async () => {
    const messageId = uniqueId("address");
    const record = await deliver(mime({ messageId }), {
      to: `${"aug15-".repeat(150_000)}@sprout.test`,
    });
    // Refused as an unknown address, or answered as a time not understood: either way the
    // answer quotes at most 200 characters of it.
    expect(String(record.rejected ?? "").length).toBeLessThan(1_000);
    for (const mail of await outboxReplyingTo(messageId)) {
      expect(String(mail.text_body).length).toBeLessThan(5_000);
    }
  });
});

describe("header injection: a CR/LF in a subject never reaches an outgoing header", () => {
  it("an encoded CR/LF + Bcc in the subject of mail to 3dayz@ (the review's input)", async () => {
    const messageId = uniqueId("inject");
    const record = await deliver(
      mime({ messageId, subject: "=?utf-8?q?Hello=0D=0ABcc:_victim@evil.example?=" }),
      { to: "3dayz@sprout.test" },
    );
    expect(record.rejected).toBeNull();
    const [reply] = await outboxReplyingTo(messageId);
    expect(reply).toBeDefined();
    const subject = String(reply?.subject);
    expect(subject).not.toMatch(/[\r\n\u2028\u2029\0]/);
    expect(subject).toContain("Hello");
    expect(subject).toContain("victim@evil.example");
    expect(String(reply?.to_address)).toBe("owner@example.com");
    const headers = JSON.parse(String(reply?.headers_json)) as Record<string, string>;
    expect(Object.keys(headers).map((k) => k.toLowerCase())).not.toContain("bcc");
    for (const value of Object.values(headers)) expect(value).not.toMatch(/[\r\n]/);
  });

  it("a CR/LF in a thread's subject stays out of its reminder's and confirmation's headers", async () => {
    const { id, messageId } = await ownerThread("Hi\u2028Bcc: x@evil.example\r\nX-Evil: 1");
    const address = await replyAddress(SECRET, id, "sprout.test");
    await deliver(
      mime({ to: address, body: "snooze 3d\r\n", headers: { "In-Reply-To": `<${messageId}>` } }),
      {
        to: address,
      },
    );
    const { results } = await env.DB.prepare("select subject, headers_json from dev_outbox").all<{
      subject: string;
      headers_json: string;
    }>();
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.subject).not.toMatch(/[\r\n\u2028\u2029\0]/);
      expect(r.headers_json).not.toMatch(/\\r|\\n|\\u2028/);
    }
  });

  it("an outgoing subject is at most 250 characters", async () => {
    const messageId = uniqueId("long");
    await deliver(mime({ messageId, subject: "x".repeat(900) }), { to: "3dayz@sprout.test" });
    const [reply] = await outboxReplyingTo(messageId);
    expect(String(reply?.subject).length).toBeLessThanOrEqual(250);
  });
});

describe("weak signatures: links and addresses only at their exact length", () => {
  const alterations = [
    ["cut from 22 to 16 characters", (s: string) => s.slice(0, 16)],
    ["cut by one", (s: string) => s.slice(0, -1)],
    ["upper-cased", (s: string) => s.toUpperCase()],
    ["with a character added", (s: string) => `${s}a`],
  ] as const;

  it.each(alterations)(
    "an action link's signature %s shows no page and acts on nothing",
    async (_n, alter) => {
      const { id } = await ownerThread();
      const { path, sig } = await link(id, "stop");
      const bad = alter(sig);
      const shown = await web(`${path}?s=${bad}`);
      expect(shown.status).toBe(403);
      expect(shown.text).not.toContain("Confirm: Stop");
      const acted = await web(path, { form: { s: bad } });
      expect(acted.status).toBe(403);
      expect((await threadById(id))?.status).toBe("scheduled");
      // The exact signature still works.
      expect((await web(path, { form: { s: sig } })).status).toBe(200);
      expect((await threadById(id))?.status).toBe("stopped");
    },
  );

  it.each(alterations)(
    "the digest's unsubscribe signature %s turns nothing off",
    async (_n, alter) => {
      await ownerThread();
      const user = await env.DB.prepare(
        "select id from users where email = 'owner@example.com'",
      ).first<{ id: string }>();
      await env.DB.prepare("update users set digest_enabled = 1").run();
      const url = new URL(await digestUnsubscribeLink(SECRET, BASE, String(user?.id)));
      const sig = url.searchParams.get("s") ?? "";
      const bad = `${url.pathname}?u=${url.searchParams.get("u")}&s=${alter(sig)}`;
      expect((await web(bad)).status).toBe(403);
      expect((await web(bad, { form: {}, site: "cross-site" })).status).toBe(403);
      const row = await env.DB.prepare("select digest_enabled from users where id = ?")
        .bind(String(user?.id))
        .first<{ digest_enabled: number }>();
      expect(row?.digest_enabled).toBe(1);
      // The exact link still works, from a mail app's one-click POST too.
      const good = `${url.pathname}${url.search}`;
      expect((await web(good, { form: {}, site: "cross-site" })).status).toBe(200);
      const after = await env.DB.prepare("select digest_enabled from users where id = ?")
        .bind(String(user?.id))
        .first<{ digest_enabled: number }>();
      expect(after?.digest_enabled).toBe(0);
    },
  );

  it.each([
    ["with 15 characters of signature", (a: string) => a.replace(/[a-z2-7]@/, "@")],
    ["with 17 characters of signature", (a: string) => a.replace("@", "a@")],
  ])("a reply address %s is refused and runs no command", async (_n, alter) => {
    const { id, address } = await ownerThread().then(async (t) => ({
      id: t.id,
      address: await replyAddress(SECRET, t.id, "sprout.test"),
    }));
    const record = await deliver(mime({ body: "stop\r\n" }), { to: alter(address) });
    expect(record.rejected).not.toBeNull();
    expect((await threadById(id))?.status).toBe("scheduled");
  });

  it("an upper-cased reply address still works: mail servers upper-case addresses", async () => {
    const { id } = await ownerThread();
    const address = (await replyAddress(SECRET, id, "sprout.test")).toUpperCase();
    const record = await deliver(mime({ body: "stop\r\n" }), { to: address });
    expect(record.rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("stopped");
  });

  it("a sign-in token cut, lengthened or upper-cased signs nobody in", async () => {
    const asked = await web("/login", { form: { email: "owner@example.com" } });
    expect(asked.status).toBe(200);
    const mail = await env.DB.prepare(
      "select text_body from dev_outbox where to_address = 'owner@example.com' order by id desc limit 1",
    ).first<{ text_body: string }>();
    const token = /token=([a-z2-7]+)/.exec(String(mail?.text_body))?.[1] ?? "";
    expect(token).toHaveLength(52);
    for (const bad of [token.slice(0, 51), `${token}a`, token.toUpperCase(), token.slice(0, 32)]) {
      expect((await web(`/login/confirm?token=${bad}`)).status).toBe(400);
      const used = await web("/login/confirm", { form: { token: bad } });
      expect(used.status).toBe(400);
      expect(used.res.headers.get("Set-Cookie")).toBeNull();
    }
    expect((await web("/login/confirm", { form: { token } })).status).toBe(303);
  });

  it("a session cookie upper-cased or cut is no session", async () => {
    const cookie = await ownerCookie();
    const [name, id = ""] = cookie.split("=");
    expect((await web("/threads", { cookie })).status).toBe(200);
    for (const bad of [id.toUpperCase(), id.slice(0, 51), `${id}a`]) {
      expect((await web("/threads", { cookie: `${name}=${bad}` })).status).toBe(401);
    }
  });
});

describe("unsafe config: DEV_OUTBOX=true on an https deployment", () => {
  const deployed = {
    ...env,
    DEV_OUTBOX: "true",
    PUBLIC_URL: "https://sprout.example.workers.dev",
    RESEND_API_KEY: "re_live_key",
  } as Env;

  it("lists nobody's threads and refuses a link forged with the public development key", async () => {
    const { id } = await ownerThread("Private subject");
    const listed = await worker.fetch(
      new Request("https://sprout.example.workers.dev/dev/threads.json"),
      deployed,
    );
    expect(listed.status).toBe(500);
    expect(await listed.text()).not.toContain("Private subject");
    const forged = new URL(
      await actionLink(DEV_SIGNING_SECRET, "https://sprout.example.workers.dev", id, "stop"),
    );
    const body = new URLSearchParams({ s: forged.searchParams.get("s") ?? "" });
    const res = await worker.fetch(
      new Request(forged, {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Sec-Fetch-Site": "same-origin",
        },
      }),
      { ...deployed, SIGNING_SECRET: undefined } as Env,
    );
    expect(res.status).toBe(500);
    expect((await threadById(id))?.status).toBe("scheduled");
  });

  it("fails mail temporarily instead of acting on it", async () => {
    const { message, record } = emailMessage(mime({}), "owner@example.com", "3d@sprout.test");
    const handler: ExportedHandler<Env> = worker;
    await expect(handler.email?.(message, deployed, {} as ExecutionContext)).rejects.toThrow();
    expect(record.rejected).toBeNull();
  });
});

describe("unbounded storage: what a stranger's automated mail leaves behind is capped", () => {
  it("a stranger's Auto-Submitted mail with a 990-character subject is recorded with 250", async () => {
    const messageId = uniqueId("stranger");
    const record = await deliver(
      mime({
        messageId,
        from: "Bot <bot@example.net>",
        subject: "s".repeat(990),
        headers: { "Auto-Submitted": `auto-generated; ${"x".repeat(60_000)}` },
      }),
      { from: "bot@example.net", to: "3d@sprout.test" },
    );
    expect(record.rejected).toBeNull();
    const row = await inboundOf(messageId);
    expect(row?.outcome).toBe("ignored:automated");
    expect(String(row?.subject)).toHaveLength(250);
    expect(String(row?.detail).length).toBeLessThanOrEqual(500);
    const total = Object.values(row ?? {}).reduce((n, v) => n + String(v ?? "").length, 0);
    expect(total).toBeLessThan(2_000);
  });
});

describe("auto-reply gaps: the review's five automated replies run no command", () => {
  it.each([
    ["Precedence: auto_reply", { Precedence: "auto_reply" }, "Re: Coffee next week?"],
    [
      "X-Auto-Response-Suppress: All",
      { "X-Auto-Response-Suppress": "All" },
      "Re: Coffee next week?",
    ],
    ["Automatische Antwort:", {}, "=?utf-8?q?Automatische_Antwort:_Coffee_next_week=3F?="],
    ["Respuesta automática:", {}, "=?utf-8?q?Respuesta_autom=C3=A1tica:_Coffee_next_week=3F?="],
  ])('%s, answering a reminder with the text "stop"', async (_n, headers, subject) => {
    const { id } = await ownerThread();
    const address = await replyAddress(SECRET, id, "sprout.test");
    const messageId = uniqueId("auto");
    const record = await deliver(
      mime({ messageId, to: address, subject, headers, body: "stop\r\n" }),
      {
        to: address,
      },
    );
    expect(record.rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("scheduled");
    expect(await outboxReplyingTo(messageId)).toEqual([]);
    expect((await inboundOf(messageId))?.outcome).toBe("ignored:automated");
  });

  it("a first Auto-Submitted: no, then a second auto-replied", async () => {
    const { id } = await ownerThread();
    const address = await replyAddress(SECRET, id, "sprout.test");
    const messageId = uniqueId("auto");
    // The first Auto-Submitted (above MIME-Version) says no; the second, below, says yes.
    const raw = mime({
      messageId,
      to: address,
      body: "stop\r\n",
      headers: { "Auto-Submitted": "auto-replied" },
    }).replace("MIME-Version: 1.0", "Auto-Submitted: no\r\nMIME-Version: 1.0");
    expect((await deliver(raw, { to: address })).rejected).toBeNull();
    expect((await threadById(id))?.status).toBe("scheduled");
    expect((await inboundOf(messageId))?.outcome).toBe("ignored:automated");
  });

  it("and the same out-of-office subjects to a tracking address start no thread", async () => {
    const messageId = uniqueId("auto");
    await deliver(mime({ messageId, subject: "=?utf-8?q?Automatische_Antwort:_Hallo?=" }), {
      to: "3d@sprout.test",
    });
    expect(await threadByMessageId(messageId)).toBeNull();
  });
});
