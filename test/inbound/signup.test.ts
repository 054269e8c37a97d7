import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SIGNUPS_PER_HOUR } from "../../src/domain/answer-limits";
import { MAX_HELD_MESSAGES } from "../../src/domain/signup";
import { threadByMessageId } from "../helpers/db";
import { deliver, mime, prepend, uniqueId } from "../helpers/email";
import { DAY, HOUR, wipe } from "../helpers/scenario";

// SPEC section 6 through worker.email, SIGNUP=open (the default): mail from an unknown,
// authenticated sender is held and answered by one confirmation email, within its limits.

const T0 = Date.parse("2026-03-03T10:00:00Z");
const STRANGER = "sam@newcomer.example";
const CONFIRM_SUBJECT = "Confirm your address to start using Sprout";

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

async function count(sql: string, ...bind: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...bind)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Everything in the dev outbox, oldest first. */
async function outbox() {
  const { results } = await env.DB.prepare(
    "select to_address, subject, text_body from dev_outbox order by id",
  ).all<{ to_address: string; subject: string; text_body: string }>();
  return results;
}

/** A stranger writes to a Sprout address; returns what happened and the message's id. */
async function strangerWrites(
  to: string,
  opts: { from?: string; stamp?: string; body?: string; bindings?: Env } = {},
) {
  const from = opts.from ?? STRANGER;
  const messageId = uniqueId("stranger");
  const raw = mime({
    from: `Sam Newcomer <${from}>`,
    to: "Jane Doe <jane@example.org>",
    messageId,
    body: opts.body,
  });
  const record = await deliver(
    raw,
    { from, to, ...(opts.stamp === undefined ? {} : { stamp: opts.stamp }) },
    opts.bindings,
  );
  return { record, messageId };
}

const held = (email = STRANGER) =>
  count("select count(*) as n from signup_holds where email = ?", email);

describe("a stranger's first message", () => {
  it("is held whole, and answered by one confirmation email and nothing else", async () => {
    const { record, messageId } = await strangerWrites("3d@sprout.test");
    expect(record.rejected).toBeNull();
    expect(await threadByMessageId(messageId)).toBeNull();
    expect(await count("select count(*) as n from users where email = ?", STRANGER)).toBe(0);
    const hold = await env.DB.prepare("select * from signup_holds where email = ?")
      .bind(STRANGER)
      .first<{ raw_base64: string; bytes: number; envelope_to: string; received_at: number }>();
    // Whole: the stored bytes are the message as delivered, stamp included.
    const raw = atob(hold?.raw_base64 ?? "");
    expect(raw.length).toBe(hold?.bytes);
    expect(raw).toContain(`Message-ID: <${messageId}>`);
    expect(raw).toMatch(/^ARC-Authentication-Results: i=1; mx\.cloudflare\.net;/);
    expect(hold?.envelope_to).toBe("3d@sprout.test");
    expect(hold?.received_at).toBe(T0);
    const mail = await outbox();
    expect(mail.map((m) => [m.to_address, m.subject])).toEqual([[STRANGER, CONFIRM_SUBJECT]]);
    expect(mail[0]?.text_body).toMatch(
      /https:\/\/sprout\.test\/signup\/confirm\?token=[a-z2-7]{52}\n/,
    );
    expect(mail[0]?.text_body).toContain("Sprout keeps your message until you confirm");
    const row = await env.DB.prepare("select outcome, user_id from inbound where message_id = ?")
      .bind(messageId)
      .first<{ outcome: string; user_id: string | null }>();
    expect(row).toEqual({ outcome: "held", user_id: null });
  });

  it("gets at most one confirmation a day, however many messages follow", async () => {
    await strangerWrites("3d@sprout.test");
    vi.setSystemTime(T0 + HOUR);
    await strangerWrites("follow@sprout.test");
    vi.setSystemTime(T0 + DAY - 60_000);
    const late = await strangerWrites("every3months@sprout.test");
    expect(late.record.rejected).toBeNull();
    expect(await held()).toBe(3);
    expect((await outbox()).length).toBe(1);
    const row = await env.DB.prepare("select outcome from inbound where message_id = ?")
      .bind(late.messageId)
      .first<{ outcome: string }>();
    expect(row?.outcome).toBe("held:rate-limited");
    // A day after the first, the next message brings a second (the first link still works).
    vi.setSystemTime(T0 + DAY + 60_000);
    await strangerWrites("3d@sprout.test");
    const mail = await outbox();
    expect(mail.map((m) => m.subject)).toEqual([CONFIRM_SUBJECT, CONFIRM_SUBJECT]);
    expect(mail[1]?.text_body).toContain("your 4 messages");
  });

  it.each([
    ["help@", "help@sprout.test"],
    ["list@", "list@sprout.test"],
    ["login@", "login@sprout.test"],
    ["a time", "tomorrow9am@sprout.test"],
    ["a time Sprout cannot read", "3dayz@sprout.test"],
  ])(
    "to %s is held too: a pending address receives nothing but the confirmation",
    async (_n, to) => {
      const { record } = await strangerWrites(to);
      expect(record.rejected).toBeNull();
      expect(await held()).toBe(1);
      expect((await outbox()).map((m) => m.subject)).toEqual([CONFIRM_SUBJECT]);
      expect(await count("select count(*) as n from login_tokens")).toBe(0);
    },
  );

  it("to an address Sprout does not have is refused with what it has, and nothing is held", async () => {
    const { record } = await strangerWrites("marketing@sprout.test");
    expect(record.rejected).toContain('Sprout has no address "marketing@sprout.test". Use follow@');
    expect(await held()).toBe(0);
    expect(await outbox()).toEqual([]);
  });

  it("is refused in-session with SIGNUP=closed, and nothing is held or sent", async () => {
    const closed = { ...env, SIGNUP: "closed" } as Env;
    const { record } = await strangerWrites("3d@sprout.test", { bindings: closed });
    expect(record.rejected).toBe(
      `Sprout only accepts mail from its users, and ${STRANGER} is not one. Ask the person who runs this Sprout to add you.`,
    );
    expect(await held()).toBe(0);
    expect(await outbox()).toEqual([]);
  });

  it("with bulk markers is ignored on the record: a mailing list never signs anyone up", async () => {
    const raw = mime({
      from: `Sam Newcomer <${STRANGER}>`,
      headers: { "List-Id": "<news.newcomer.example>", Precedence: "bulk" },
    });
    const record = await deliver(raw, { from: STRANGER, to: "3d@sprout.test" });
    expect(record.rejected).toBeNull();
    expect(await held()).toBe(0);
    expect(await outbox()).toEqual([]);
  });

  it("that fails authentication is refused, and nothing is held", async () => {
    const { record } = await strangerWrites("3d@sprout.test", {
      stamp:
        "ARC-Authentication-Results: i=1; mx.cloudflare.net; dmarc=fail header.from=newcomer.example",
    });
    expect(record.rejected).toBe(
      `Sprout could not verify that this message came from ${STRANGER} (dmarc=fail header.from=newcomer.example)`,
    );
    expect(await held()).toBe(0);
    expect(await outbox()).toEqual([]);
  });
});

describe("floods", () => {
  it("50 forged messages from one address: all refused, nothing held, nothing sent", async () => {
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(T0 + i * 1000);
      const { record } = await strangerWrites("3d@sprout.test", {
        from: "victim@gmail.com",
        stamp:
          "ARC-Authentication-Results: i=1; mx.cloudflare.net; dkim=none; dmarc=fail header.from=gmail.com; spf=fail smtp.mailfrom=victim@gmail.com",
      });
      expect(record.rejected).toContain(
        "could not verify that this message came from victim@gmail.com",
      );
    }
    expect(await held("victim@gmail.com")).toBe(0);
    expect(await outbox()).toEqual([]);
    expect(
      await count("select count(*) as n from inbound where outcome = 'rejected:unauthenticated'"),
    ).toBe(50);
  });

  it("50 messages from one address nobody checks (SENDER_AUTH=off): 20 held, the rest refused, one confirmation", async () => {
    const off = { ...env, SENDER_AUTH: "off" } as Env;
    const refused: string[] = [];
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(T0 + i * 1000);
      const { record } = await strangerWrites("3d@sprout.test", {
        from: "victim@gmail.com",
        stamp: "none",
        bindings: off,
      });
      if (record.rejected !== null) refused.push(record.rejected);
    }
    expect(await held("victim@gmail.com")).toBe(MAX_HELD_MESSAGES);
    expect(refused).toHaveLength(30);
    expect(refused[0]).toBe(
      "Sprout already keeps 20 messages (7 KiB) from victim@gmail.com until the address is confirmed, and keeps at most 20 messages or 5.0 MiB. Confirm with the link Sprout emailed to victim@gmail.com, then send this message again.",
    );
    expect((await outbox()).map((m) => [m.to_address, m.subject])).toEqual([
      ["victim@gmail.com", CONFIRM_SUBJECT],
    ]);
  });

  it("50 login@ from a real but unknown address: 20 held, one confirmation, no sign-in link", async () => {
    let refused = 0;
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(T0 + i * 1000);
      const { record } = await strangerWrites("login@sprout.test");
      if (record.rejected !== null) refused += 1;
    }
    expect(await held()).toBe(20);
    expect(refused).toBe(30);
    expect((await outbox()).map((m) => m.subject)).toEqual([CONFIRM_SUBJECT]);
    expect(await count("select count(*) as n from login_tokens")).toBe(0);
  });

  it("holds at most 5 MiB for an address: the message that would pass it is refused with the reason", async () => {
    const big = `${"Lorem ipsum dolor sit amet. ".repeat(32_000)}\r\n`; // about 900 KB
    const outcomes: (string | null)[] = [];
    for (let i = 0; i < 7; i++) {
      vi.setSystemTime(T0 + i * 1000);
      outcomes.push((await strangerWrites("3d@sprout.test", { body: big })).record.rejected);
    }
    expect(outcomes.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(outcomes[5]).toMatch(
      /^Sprout already keeps 5 messages \(4\.\d MiB\) from sam@newcomer\.example/,
    );
    expect(outcomes[6]).toBe(outcomes[5]);
    expect(await held()).toBe(5);
    // A small message still fits beside them.
    expect((await strangerWrites("3d@sprout.test")).record.rejected).toBeNull();
  });

  it("sends at most 100 confirmations an hour per deployment; past that, new addresses are held in silence", async () => {
    // The hour's budget, nearly spent by 99 other addresses.
    const stmt = env.DB.prepare("insert into answer_log (key, at) values ('signup:all', ?)");
    await env.DB.batch(
      Array.from({ length: SIGNUPS_PER_HOUR - 1 }, (_, i) => stmt.bind(T0 - i * 1000)),
    );
    await strangerWrites("3d@sprout.test", { from: "first@newcomer.example" });
    await strangerWrites("3d@sprout.test", { from: "second@newcomer.example" });
    expect((await outbox()).map((m) => m.to_address)).toEqual(["first@newcomer.example"]);
    expect(await held("second@newcomer.example")).toBe(1);
    // The second address is not charged: an hour later its next message brings its link.
    vi.setSystemTime(T0 + HOUR + 1000);
    await strangerWrites("3d@sprout.test", { from: "second@newcomer.example" });
    expect((await outbox()).map((m) => m.to_address)).toEqual([
      "first@newcomer.example",
      "second@newcomer.example",
    ]);
  });

  it("holds one delivery once, however often it is delivered", async () => {
    const raw = mime({ from: STRANGER, messageId: uniqueId() });
    for (let i = 0; i < 3; i++) await deliver(raw, { from: STRANGER, to: "3d@sprout.test" });
    expect(await held()).toBe(1);
    expect((await outbox()).length).toBe(1);
  });

  it("a stamped copy of the same bytes under a forged stamp is refused before it is held", async () => {
    const raw = mime({ from: STRANGER, messageId: uniqueId() });
    const forged = prepend(
      raw,
      "Authentication-Results: mx.cloudflare.net; dmarc=pass header.from=newcomer.example",
    );
    const record = await deliver(forged, {
      from: STRANGER,
      to: "3d@sprout.test",
      stamp:
        "ARC-Authentication-Results: i=1; mx.cloudflare.net; dmarc=fail header.from=newcomer.example",
    });
    expect(record.rejected).toContain("dmarc=fail");
    expect(await held()).toBe(0);
  });
});
