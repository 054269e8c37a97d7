import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signWebhook } from "../../src/mail/webhook-signature";
import { MAX_WEBHOOK_BODY } from "../../src/web/routes/webhooks";
import {
  bounce,
  complaint,
  postWebhook,
  resendEvent,
  suppressionRow,
  svixId,
  WEBHOOK_SECRET,
  withWebhook,
} from "../helpers/webhook";
import { cookieFor, makeUser, rowWhere, web } from "./helpers";

// POST /webhooks/resend (SPEC section 9), through the app's own entry point: Resend's
// events are believed only with a valid Svix signature over the exact bytes received.
const NOW = Date.parse("2026-03-04T08:00:00Z");

let n = 0;
/** A fresh address nobody else in this file uses. */
const address = (tag = "a") => `${tag}-${++n}-${crypto.randomUUID().slice(0, 8)}@example.net`;

const count = async (table: string) =>
  (await env.DB.prepare(`select count(*) as n from ${table}`).first<{ n: number }>())?.n ?? 0;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a signed event", () => {
  it("puts the recipient of a permanent bounce on the suppression list", async () => {
    const to = address();
    const res = await postWebhook(bounce(to));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ok: true, outcome: "suppressed" });
    expect(await suppressionRow(to)).toEqual({
      address: to,
      cause: "bounce",
      event_type: "email.bounced",
      detail: "Permanent/General: 550 5.1.1 The email account does not exist.",
      event_id: res.id,
      email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
      created_at: NOW,
    });
  });

  it("suppresses a complainer and turns their weekly digest off", async () => {
    const user = await makeUser({ digestEnabled: true });
    const other = await makeUser({ digestEnabled: true });
    const res = await postWebhook(complaint(user.email.toUpperCase()));
    expect(res.status).toBe(200);
    expect(await suppressionRow(user.email)).toMatchObject({
      cause: "complaint",
      event_type: "email.complained",
      detail: "spam complaint",
    });
    expect((await rowWhere("users", "id", user.id))?.digest_enabled).toBe(0);
    expect((await rowWhere("users", "id", other.id))?.digest_enabled).toBe(1);
  });

  it("records Resend refusing to send to an address on its own list", async () => {
    const to = address();
    const res = await postWebhook(
      resendEvent("email.suppressed", to, {
        suppressed: { type: "OnAccountSuppressionList", message: "Suppressed by Resend." },
      }),
    );
    expect(res.status).toBe(200);
    expect(await suppressionRow(to)).toMatchObject({
      cause: "provider",
      event_type: "email.suppressed",
      detail: "OnAccountSuppressionList: Suppressed by Resend.",
    });
  });

  it("suppresses every recipient an event names, and a non-user harmlessly", async () => {
    const [a, b] = [address("contact"), address("contact")];
    const users = await count("users");
    const res = await postWebhook(bounce([a, b]));
    expect(res.status).toBe(200);
    expect(await suppressionRow(a)).not.toBeNull();
    expect(await suppressionRow(b)).not.toBeNull();
    expect(await count("users")).toBe(users);
  });

  it("keeps the first suppression of an address: a later event changes nothing", async () => {
    const to = address();
    const first = await postWebhook(bounce(to));
    vi.setSystemTime(NOW + 60_000);
    const second = await postWebhook(complaint(to));
    expect(second.status).toBe(200);
    expect(await suppressionRow(to)).toMatchObject({
      cause: "bounce",
      event_id: first.id,
      created_at: NOW,
    });
  });

  it.each([
    ["Transient", "MailboxFull"],
    ["Transient", "General"],
    ["Undetermined", "Undetermined"],
  ])("changes nothing for a %s/%s bounce (acknowledged)", async (type, subType) => {
    const to = address();
    const seen = await count("webhook_events");
    const res = await postWebhook(bounce(to, type, subType));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ok: true, outcome: "ignored" });
    expect(await suppressionRow(to)).toBeNull();
    expect(await count("webhook_events")).toBe(seen);
  });

  it.each(["email.delivered", "email.sent", "contact.created", "email.bounced.v2"])(
    "acknowledges and ignores an event of type %s",
    async (type) => {
      const to = address();
      const res = await postWebhook(resendEvent(type, to));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ ok: true, outcome: "ignored" });
      expect(await suppressionRow(to)).toBeNull();
    },
  );

  it("acknowledges a signed body that is not JSON, and changes nothing", async () => {
    const res = await postWebhook("{not json");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ok: true, outcome: "ignored" });
  });
});

describe("replays", () => {
  it("acknowledges a replayed svix-id and changes nothing twice (not even after a resume)", async () => {
    const user = await makeUser({ digestEnabled: true });
    const body = complaint(user.email);
    const first = await postWebhook(body);
    expect(first.status).toBe(200);
    // The user lifts the suppression and turns the digest back on...
    await web("/mail/resume", { cookie: await cookieFor(user.id), form: {} });
    await env.DB.prepare("update users set digest_enabled = 1 where id = ?").bind(user.id).run();
    expect(await suppressionRow(user.email)).toBeNull();
    // ...then the very same request arrives again, and again re-signed a minute later
    // (Resend's retries keep the id and sign afresh).
    const same = await postWebhook(body, { id: first.id, timestamp: first.timestamp });
    vi.setSystemTime(NOW + 60_000);
    const resigned = await postWebhook(body, { id: first.id });
    for (const res of [same, resigned]) {
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ ok: true, outcome: "replay" });
    }
    expect(await suppressionRow(user.email)).toBeNull();
    expect((await rowWhere("users", "id", user.id))?.digest_enabled).toBe(1);
    expect(await rowWhere("webhook_events", "id", first.id)).toEqual({
      id: first.id,
      received_at: NOW,
    });
  });

  it("a replayed id with another body changes nothing either", async () => {
    const [a, b] = [address(), address()];
    const first = await postWebhook(bounce(a));
    const replay = await postWebhook(bounce(b), { id: first.id });
    expect(JSON.parse(replay.text)).toEqual({ ok: true, outcome: "replay" });
    expect(await suppressionRow(b)).toBeNull();
  });
});

describe("refused: 401 and nothing changes", () => {
  const refused = async (res: { status: number; text: string }, to: string) => {
    expect(res.status).toBe(401);
    expect(res.text).toBe("Signature not accepted.");
    expect(await suppressionRow(to)).toBeNull();
  };

  it("a signature under another secret", async () => {
    const to = address();
    const body = bounce(to);
    const id = svixId();
    const ts = Math.floor(NOW / 1000);
    const other = signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id, ts, body);
    await refused(await postWebhook(body, { id, timestamp: ts, signature: other }), to);
  });

  it("a truncated signature, an empty v1 and another version's", async () => {
    const to = address();
    const body = bounce(to);
    const id = svixId();
    const ts = Math.floor(NOW / 1000);
    const good = signWebhook(WEBHOOK_SECRET, id, ts, body);
    for (const signature of [good.slice(0, -2), "v1,", good.replace("v1,", "v2,")]) {
      await refused(await postWebhook(body, { id, timestamp: ts, signature }), to);
    }
  });

  it("a signature for another id or another timestamp", async () => {
    const to = address();
    const body = bounce(to);
    const ts = Math.floor(NOW / 1000);
    const signature = signWebhook(WEBHOOK_SECRET, "msg_other", ts, body);
    await refused(await postWebhook(body, { id: svixId(), timestamp: ts, signature }), to);
    const id = svixId();
    const earlier = signWebhook(WEBHOOK_SECRET, id, ts - 1, body);
    await refused(await postWebhook(body, { id, timestamp: ts, signature: earlier }), to);
  });

  it.each([
    ["6 minutes old", -6 * 60],
    ["6 minutes ahead", 6 * 60],
  ])("a timestamp %s (signed correctly)", async (_, skew) => {
    const to = address();
    await refused(await postWebhook(bounce(to), { timestamp: Math.floor(NOW / 1000) + skew }), to);
  });

  it("accepts a timestamp just inside the window (4 minutes 59 seconds either way)", async () => {
    for (const skew of [-299, 299]) {
      const to = address();
      const res = await postWebhook(bounce(to), { timestamp: Math.floor(NOW / 1000) + skew });
      expect(res.status).toBe(200);
      expect(await suppressionRow(to)).not.toBeNull();
    }
  });

  it("a re-serialised body: the same JSON with other whitespace", async () => {
    const to = address();
    const original = bounce(to);
    const reserialised = JSON.stringify(JSON.parse(original), null, 2);
    expect(JSON.parse(reserialised)).toEqual(JSON.parse(original));
    await refused(await postWebhook(reserialised, { signedBody: original }), to);
    // And the twin: a trailing newline added in transit.
    await refused(await postWebhook(`${original}\n`, { signedBody: original }), to);
  });

  it.each(["svix-id", "svix-timestamp", "svix-signature"])("a request without %s", async (h) => {
    const to = address();
    await refused(await postWebhook(bounce(to), { headers: { [h]: null } }), to);
  });

  it("standardwebhooks' own header names instead of Svix's", async () => {
    const to = address();
    const body = bounce(to);
    const id = svixId();
    const ts = String(Math.floor(NOW / 1000));
    const signature = signWebhook(WEBHOOK_SECRET, id, Number(ts), body);
    const res = await postWebhook(body, {
      headers: {
        "svix-id": null,
        "svix-timestamp": null,
        "svix-signature": null,
        "webhook-id": id,
        "webhook-timestamp": ts,
        "webhook-signature": signature,
      },
    });
    await refused(res, to);
  });

  it("a body that is not UTF-8", async () => {
    const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const res = await postWebhook(body, { signature: "v1,AAAA" });
    expect(res.status).toBe(401);
  });
});

describe("size, configuration and the cross-site guard", () => {
  it("accepts a body of exactly the limit and refuses one byte more with 413, unhashed", async () => {
    const to = address();
    const event = bounce(to);
    const padded = event.padEnd(MAX_WEBHOOK_BODY, " ");
    expect(new TextEncoder().encode(padded).byteLength).toBe(MAX_WEBHOOK_BODY);
    expect((await postWebhook(padded)).status).toBe(200);
    expect(await suppressionRow(to)).not.toBeNull();
    const other = address();
    const over = bounce(other).padEnd(MAX_WEBHOOK_BODY + 1, " ");
    const res = await postWebhook(over);
    expect(res.status).toBe(413);
    expect(await suppressionRow(other)).toBeNull();
  });

  it("refuses a huge body with 413, whether or not it declares its length", async () => {
    const to = address();
    const huge = bounce(to).padEnd(5 * 1024 * 1024, " ");
    expect((await postWebhook(huge)).status).toBe(413);
    // Streamed without a Content-Length: read only up to the limit.
    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 1000) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await postWebhook(stream, { signature: "v1,AAAA" });
    expect(res.status).toBe(413);
    // It stopped reading soon after the limit (16 KiB chunks), not at 16 MB.
    expect(sent).toBeLessThan(MAX_WEBHOOK_BODY / chunk.byteLength + 5);
    expect(await suppressionRow(to)).toBeNull();
  });

  it("refuses a declared Content-Length over the limit before reading anything", async () => {
    const to = address();
    const res = await postWebhook(bounce(to), {
      headers: { "Content-Length": String(MAX_WEBHOOK_BODY + 1) },
    });
    expect(res.status).toBe(413);
    expect(await suppressionRow(to)).toBeNull();
  });

  it("answers 404 without RESEND_WEBHOOK_SECRET, like a path that does not exist", async () => {
    const to = address();
    const res = await postWebhook(bounce(to), { bindings: env });
    expect(res.status).toBe(404);
    expect(res.text).toContain("There is no page here.");
    expect(await suppressionRow(to)).toBeNull();
    const blank = await postWebhook(bounce(to), {
      bindings: { ...env, RESEND_WEBHOOK_SECRET: "  " } as Env,
    });
    expect(blank.status).toBe(404);
  });

  it.each([
    ["no whsec_ prefix", "C2FVsBQIhrscChlQIMV+b5sSYspob7oD"],
    ["not base64", "whsec_not base64!"],
    ["an API key pasted in the wrong place", "re_123456789"],
    ["the prefix alone", "whsec_"],
  ])(
    "with a malformed secret (%s) answers 500, and the rest of Sprout works",
    async (_, secret) => {
      const to = address();
      const bindings = { ...env, RESEND_WEBHOOK_SECRET: secret } as Env;
      const res = await postWebhook(bounce(to), { bindings });
      expect(res.status).toBe(500);
      expect(res.text).toContain("webhook secret");
      expect(await suppressionRow(to)).toBeNull();
      const user = await makeUser();
      const page = await web("/threads", { cookie: await cookieFor(user.id) }, bindings);
      expect(page.status).toBe(200);
    },
  );

  it("is exempt from the cross-site check: a POST from elsewhere with a good signature is accepted", async () => {
    const to = address();
    const res = await postWebhook(bounce(to), {
      headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
    });
    expect(res.status).toBe(200);
    expect(await suppressionRow(to)).not.toBeNull();
    // ...and a forged one from elsewhere is still only a 401, never a 403 page.
    const other = address();
    const forged = await postWebhook(bounce(other), {
      signature: "v1,AAAA",
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(forged.status).toBe(401);
  });

  it("the exemption is this path only: other POSTs from elsewhere stay refused", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    for (const path of ["/webhooks/resend/", "/webhooks/resend2", "/mail/resume"]) {
      const res = await web(path, { cookie, form: {}, site: "cross-site" }, withWebhook());
      expect(res.status, path).toBe(403);
    }
  });

  it("answers 404 to a GET", async () => {
    const res = await web("/webhooks/resend", {}, withWebhook());
    expect(res.status).toBe(404);
  });
});
