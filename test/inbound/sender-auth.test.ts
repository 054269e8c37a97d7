import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../src/domain/reply-address";
import { threadById, threadByMessageId } from "../helpers/db";
import { deliver, mime, passingStamp, prepend, uniqueId } from "../helpers/email";
import { cronAt, DAY, HOUR, outreachAt, wipe } from "../helpers/scenario";

// SPEC section 9 through worker.email: one mailbox in From, and sender authentication with
// SENDER_AUTH=enforce (the tests' default): every rule beside its hostile twin.

const SECRET = "test-signing-secret-0123456789abcdef";
const T0 = Date.parse("2026-03-03T10:00:00Z");
const T1 = Date.parse("2026-03-06T08:00:00Z");

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  await wipe();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A Cloudflare stamp with the given results, folded over lines as Cloudflare writes it. */
function cloudflare(results: string[], authserv = "mx.cloudflare.net"): string {
  return [`ARC-Authentication-Results: i=1; ${authserv};`, ...results.map((r) => `\t${r}`)].join(
    "\r\n",
  );
}

const DMARC_FAIL = [
  "dkim=none;",
  'dmarc=fail reason="No valid SPF, No valid DKIM" header.from=example.com policy.dmarc=none;',
  "spf=softfail (mx.cloudflare.net: domain of transitioning owner@example.com does not designate 198.51.100.9 as permitted sender) smtp.mailfrom=owner@example.com;",
  "arc=none smtp.remote-ip=198.51.100.9",
];

async function count(sql: string, ...bind: unknown[]): Promise<number> {
  return (
    (
      await env.DB.prepare(sql)
        .bind(...bind)
        .first<{ n: number }>()
    )?.n ?? 0
  );
}

const outbox = () => count("select count(*) as n from dev_outbox");

/** The inbound record of a refused message (its key is the delivery's plus ":rejected"). */
async function refusedRecord(messageId: string) {
  return env.DB.prepare("select * from inbound where message_id = ? and id like '%:rejected'")
    .bind(messageId)
    .first<{ outcome: string; detail: string | null; header_from: string }>();
}

describe("sender authentication (SENDER_AUTH=enforce)", () => {
  it("tracks the owner's mail under Email Routing's passing stamp (folded over five lines)", async () => {
    const messageId = uniqueId();
    const raw = mime({ messageId });
    expect(passingStamp(raw, "owner@example.com").split("\r\n")).toHaveLength(5);
    const record = await deliver(raw, { to: "3d@sprout.test" });
    expect(record.rejected).toBeNull();
    expect(await threadByMessageId(messageId)).not.toBeNull();
  });

  it.each([
    ["no stamp at all", null, "no Cloudflare authentication stamp"],
    ["a failing Cloudflare stamp", cloudflare(DMARC_FAIL), "dmarc=fail header.from=example.com"],
    [
      "a passing stamp from another server on top",
      cloudflare(
        [
          "dkim=pass header.d=example.com;",
          "dmarc=pass header.from=example.com;",
          "spf=pass smtp.mailfrom=owner@example.com",
        ],
        "mx.google.com",
      ),
      "stamp from another server: mx.google.com",
    ],
    [
      "a DKIM pass for another domain (no DMARC record)",
      cloudflare([
        "dkim=pass header.d=evil.example header.s=s1;",
        "dmarc=none header.from=example.com policy.dmarc=none;",
        "spf=pass smtp.mailfrom=bounce@evil.example;",
        "arc=none",
      ]),
      "nothing aligned with example.com: dkim=pass header.d=evil.example",
    ],
    [
      "a DMARC pass for another domain",
      cloudflare(["dmarc=pass header.from=evil.example;", "arc=none"]),
      "dmarc=pass header.from=evil.example, but the From domain is example.com",
    ],
    [
      "Cloudflare's stamp with arc=none alone",
      "ARC-Authentication-Results: i=1; mx.cloudflare.net; arc=none",
      "no DKIM, SPF or DMARC result",
    ],
  ])(
    "refuses the owner's outreach with %s, creates nothing and records the verdict",
    async (_name, stamp, reason) => {
      const messageId = uniqueId("forged");
      const raw = mime({ messageId });
      const record = await deliver(stamp === null ? raw : prepend(raw, stamp), {
        to: "3d@sprout.test",
        stamp: "none",
      });
      expect(record.rejected).toMatch(
        /^Sprout could not verify that this message came from owner@example\.com \(.+\)$/,
      );
      expect(record.rejected).toContain(reason);
      expect(await threadByMessageId(messageId)).toBeNull();
      expect(await outbox()).toBe(0);
      const recorded = await refusedRecord(messageId);
      expect(recorded?.outcome).toBe("rejected:unauthenticated");
      expect(recorded?.header_from).toBe("owner@example.com");
      expect(recorded?.detail).toContain(reason);
      // A refused delivery is not a handled one: the same message, stamped, is tracked.
      const again = await deliver(raw, { to: "3d@sprout.test" });
      expect(again.rejected).toBeNull();
      expect(await threadByMessageId(messageId)).not.toBeNull();
    },
  );

  it("believes only the first stamp: a forged passing stamp below a failing one changes nothing", async () => {
    const messageId = uniqueId("forged");
    const forged = [
      "Authentication-Results: mx.cloudflare.net;",
      "\tdkim=pass header.d=example.com;",
      "\tdmarc=pass header.from=example.com policy.dmarc=reject;",
      "\tspf=pass smtp.mailfrom=owner@example.com",
    ].join("\r\n");
    // The sender's own (forged) stamp sits among its headers; Cloudflare's is on top.
    const raw = prepend(prepend(mime({ messageId }), forged), cloudflare(DMARC_FAIL));
    const record = await deliver(raw, { to: "3d@sprout.test", stamp: "none" });
    expect(record.rejected).toContain("(dmarc=fail header.from=example.com)");
    expect(await threadByMessageId(messageId)).toBeNull();
  });

  it("does not let forged mail sign anyone in: a forged login@ for the owner sends nothing", async () => {
    const record = await deliver(mime({ to: "login@sprout.test" }), {
      to: "login@sprout.test",
      stamp: "none",
    });
    expect(record.rejected).toContain("could not verify");
    expect(await outbox()).toBe(0);
    expect(await count("select count(*) as n from login_tokens")).toBe(0);
  });

  it("refuses a forged command to a leaked reply address: the thread and the owner's inbox stay as they were", async () => {
    const t = await outreachAt(T0, "follow@sprout.test");
    await cronAt(T1);
    const address = await replyAddress(SECRET, t.id, "sprout.test");
    const before = await threadById(t.id);
    const mailBefore = await outbox();
    vi.setSystemTime(T1 + HOUR);
    const record = await deliver(mime({ to: address, body: "stop" }), {
      to: address,
      stamp: cloudflare(DMARC_FAIL),
    });
    expect(record.rejected).toContain(
      "could not verify that this message came from owner@example.com",
    );
    expect(await threadById(t.id)).toEqual(before);
    expect(await outbox()).toBe(mailBefore);
  });

  it("trusts the From header with SENDER_AUTH=off (local development)", async () => {
    const off = { ...env, SENDER_AUTH: "off" } as Env;
    const messageId = uniqueId();
    const record = await deliver(mime({ messageId }), { to: "3d@sprout.test", stamp: "none" }, off);
    expect(record.rejected).toBeNull();
    expect(await threadByMessageId(messageId)).not.toBeNull();
  });
});

describe("one mailbox in From (checked on the raw header)", () => {
  it.each([
    [
      "two addresses",
      "Olivia Owner <owner@example.com>, Mallory <mallory@example.net>",
      "the From header holds 2 addresses; Sprout needs exactly one.",
    ],
    [
      "group syntax",
      "Team: owner@example.com, mallory@example.net;",
      'the From header "Team: owner@example.com, mallory@example.net;" is a group of addresses',
    ],
    ["an empty group", "undisclosed-recipients:;", "is a group of addresses"],
    [
      "a comment that is never closed",
      "owner@example.com (Olivia",
      "holds no usable address (a comment is not closed)",
    ],
  ])("refuses a From with %s before anything acts", async (_name, from, reason) => {
    const messageId = uniqueId();
    const record = await deliver(mime({ from, messageId }), { to: "3d@sprout.test" });
    expect(record.rejected).toContain("Sprout could not tell who sent this message:");
    expect(record.rejected).toContain(reason);
    expect(await threadByMessageId(messageId)).toBeNull();
    expect(await outbox()).toBe(0);
  });

  it("accepts a quoted display name holding a comma (one mailbox) and an address as display name", async () => {
    for (const from of [
      '"Owner, Olivia" <owner@example.com>',
      "owner@example.com <owner@example.com>",
    ]) {
      const messageId = uniqueId();
      const record = await deliver(mime({ from, messageId }), { to: "3d@sprout.test" });
      expect(record.rejected).toBeNull();
      expect(await threadByMessageId(messageId)).not.toBeNull();
    }
  });
});

describe("a contact's reply into a known conversation (SPEC section 6)", () => {
  /** A stranger's reply-all to the owner's outreach, which had follow@ in Cc. */
  function replyAll(parentId: string, from = "Jane Doe <jane@example.org>") {
    return mime({
      from,
      to: "Olivia Owner <owner@example.com>",
      cc: "follow@sprout.test",
      subject: "Re: Coffee next week?",
      body: "Sure, Thursday works!",
      headers: { "In-Reply-To": `<${parentId}>`, References: `<${parentId}>` },
    });
  }

  it.each([
    ["open", {}],
    ["closed", { SIGNUP: "closed" }],
  ])(
    "accepts it silently with SIGNUP=%s: no bounce, no confirmation, nothing to the contact; the thread is replied",
    async (_mode, vars) => {
      const bindings = { ...env, ...vars } as Env;
      const t = await outreachAt(T0, "follow@sprout.test");
      vi.setSystemTime(T0 + DAY);
      const record = await deliver(
        replyAll(t.messageId),
        {
          from: "jane@example.org",
          to: "follow@sprout.test",
        },
        bindings,
      );
      expect(record.rejected).toBeNull();
      expect((await threadById(t.id))?.status).toBe("replied");
      expect(await count("select count(*) as n from dev_outbox")).toBe(0);
      expect(await count("select count(*) as n from signup_holds")).toBe(0);
      expect(await count("select count(*) as n from users where email = 'jane@example.org'")).toBe(
        0,
      );
    },
  );

  it("accepts it with a failing stamp too, but only records it: the thread does not change", async () => {
    const t = await outreachAt(T0, "follow@sprout.test");
    const before = await threadById(t.id);
    vi.setSystemTime(T0 + DAY);
    const raw = replyAll(t.messageId);
    const record = await deliver(raw, {
      from: "jane@example.org",
      to: "follow@sprout.test",
      stamp: cloudflare([
        "dkim=none;",
        "dmarc=fail header.from=example.org policy.dmarc=quarantine;",
        "spf=fail smtp.mailfrom=jane@example.org",
      ]),
    });
    expect(record.rejected).toBeNull();
    expect(await threadById(t.id)).toEqual(before);
    expect(await count("select count(*) as n from dev_outbox")).toBe(0);
    expect(await count("select count(*) as n from signup_holds")).toBe(0);
    const row = await env.DB.prepare(
      "select outcome, detail, user_id from inbound where header_from = 'jane@example.org'",
    ).first<{ outcome: string; detail: string; user_id: string }>();
    expect(row?.outcome).toBe("contact-reply:unverified");
    expect(row?.detail).toContain("dmarc=fail header.from=example.org");
    const owner = await env.DB.prepare(
      "select id from users where email = 'owner@example.com'",
    ).first<{
      id: string;
    }>();
    expect(row?.user_id).toBe(owner?.id);
  });

  it("is still a contact's reply when it names a Message-ID deep in References only", async () => {
    const t = await outreachAt(T0, "follow@sprout.test");
    vi.setSystemTime(T0 + DAY);
    const raw = mime({
      from: "Sam <sam@example.net>",
      cc: "follow@sprout.test",
      subject: "Re: Coffee next week?",
      headers: {
        "In-Reply-To": "<something-else@example.net>",
        References: `<${t.messageId}> <something-else@example.net>`,
      },
    });
    const record = await deliver(raw, { from: "sam@example.net", to: "follow@sprout.test" });
    expect(record.rejected).toBeNull();
    expect((await threadById(t.id))?.status).toBe("replied");
    expect(await count("select count(*) as n from dev_outbox")).toBe(0);
  });
});
