import { describe, expect, it } from "vitest";
import {
  signWebhook,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookRefusal,
} from "../../src/mail/webhook-signature";

// A Svix-format secret: `whsec_` and the base64 of a random 24-byte key.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);
const TS = Math.floor(NOW / 1000);
const ID = "msg_2pSdQdUmxqGrK9FzGqP6C3LmQ1N";
const BODY =
  '{"type":"email.bounced","created_at":"2026-12-04T09:00:00.000Z","data":{"email_id":"4ef9a417-02e9-4d39-ad75-9611e0fcc33c","to":["jane@example.com"],"bounce":{"type":"Permanent","subType":"General","message":"550 5.1.1 user unknown"}}}';

const bytes = (text: string) => new TextEncoder().encode(text);

function request(over: {
  headers?: Record<string, string | null>;
  body?: Uint8Array;
  now?: number;
  secret?: string;
}) {
  const headers = new Headers();
  const fields: Record<string, string | null> = {
    "svix-id": ID,
    "svix-timestamp": String(TS),
    "svix-signature": signWebhook(SECRET, ID, TS, BODY),
    ...over.headers,
  };
  for (const [k, v] of Object.entries(fields)) if (v !== null) headers.set(k, v);
  return {
    secret: over.secret ?? SECRET,
    headers,
    body: over.body ?? bytes(BODY),
    now: over.now ?? NOW,
  };
}

const refused = (refusal: WebhookRefusal) => ({ ok: false, error: refusal });

describe("verifyWebhook", () => {
  it("accepts a good signature and hands back id, timestamp and the exact body", () => {
    expect(verifyWebhook(request({}))).toEqual({
      ok: true,
      value: { id: ID, timestamp: TS, body: BODY },
    });
  });

  it("matches an independent HMAC-SHA256 (WebCrypto) of id.timestamp.body under the decoded key", async () => {
    const keyBytes = Uint8Array.from(atob(SECRET.slice("whsec_".length)), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey(
      "raw",
      keyBytes,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes(`${ID}.${TS}.${BODY}`)));
    const signature = `v1,${btoa(String.fromCharCode(...mac))}`;
    expect(signWebhook(SECRET, ID, TS, BODY)).toBe(signature);
    expect(verifyWebhook(request({ headers: { "svix-signature": signature } })).ok).toBe(true);
  });

  it("refuses a bad signature", () => {
    const other = signWebhook("whsec_QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5", ID, TS, BODY);
    expect(verifyWebhook(request({ headers: { "svix-signature": other } }))).toEqual(
      refused({ kind: "bad-signature" }),
    );
  });

  it.each([
    ["truncated", (s: string) => s.slice(0, -4)],
    [
      "one character changed",
      (s: string) => `${s.slice(0, -3)}${s.at(-3) === "A" ? "B" : "A"}${s.slice(-2)}`,
    ],
    ["another version", (s: string) => s.replace("v1,", "v2,")],
    ["no version", (s: string) => s.replace("v1,", "")],
    ["empty signature", () => "v1,"],
  ])("refuses a signature that is %s", (_, mangle) => {
    const signature = mangle(signWebhook(SECRET, ID, TS, BODY));
    expect(verifyWebhook(request({ headers: { "svix-signature": signature } }))).toEqual(
      refused({ kind: "bad-signature" }),
    );
  });

  it("accepts a list where one good signature stands among bad ones", () => {
    const good = signWebhook(SECRET, ID, TS, BODY);
    const bad = signWebhook("whsec_QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5", ID, TS, BODY);
    const list = `v1,AAAA ${bad} v2,${good.slice(3)}  ${good} v1,zzzz`;
    expect(verifyWebhook(request({ headers: { "svix-signature": list } })).ok).toBe(true);
  });

  it("refuses a list of bad signatures only", () => {
    const bad = signWebhook("whsec_QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5", ID, TS, BODY);
    expect(verifyWebhook(request({ headers: { "svix-signature": `${bad} ${bad} v1,` } }))).toEqual(
      refused({ kind: "bad-signature" }),
    );
  });

  it.each([
    ["6 minutes old", -6 * 60],
    ["6 minutes in the future", 6 * 60],
    ["a day old", -86_400],
  ])("refuses a timestamp %s, even correctly signed", (_, offset) => {
    const ts = TS + offset;
    const req = request({
      headers: {
        "svix-timestamp": String(ts),
        "svix-signature": signWebhook(SECRET, ID, ts, BODY),
      },
    });
    expect(verifyWebhook(req)).toEqual(refused({ kind: "stale", skewSeconds: -offset }));
  });

  it.each([
    ["exactly 5 minutes old", -WEBHOOK_TOLERANCE_SECONDS],
    ["exactly 5 minutes ahead", WEBHOOK_TOLERANCE_SECONDS],
    ["4 minutes old", -240],
  ])("accepts a timestamp %s", (_, offset) => {
    const ts = TS + offset;
    const req = request({
      headers: {
        "svix-timestamp": String(ts),
        "svix-signature": signWebhook(SECRET, ID, ts, BODY),
      },
    });
    expect(verifyWebhook(req).ok).toBe(true);
  });

  it("refuses a fresh timestamp on a signature made for another one (replayed with a new time)", () => {
    const old = signWebhook(SECRET, ID, TS - 3_600, BODY);
    expect(verifyWebhook(request({ headers: { "svix-signature": old } }))).toEqual(
      refused({ kind: "bad-signature" }),
    );
  });

  it.each(["svix-id", "svix-timestamp", "svix-signature"] as const)(
    "refuses a request without %s",
    (header) => {
      expect(verifyWebhook(request({ headers: { [header]: null } }))).toEqual(
        refused({ kind: "missing-header", header }),
      );
      expect(verifyWebhook(request({ headers: { [header]: "" } }))).toEqual(
        refused({ kind: "missing-header", header }),
      );
    },
  );

  it.each(["abc", "1.7e9", `0${TS}`, `${TS}.5`, `-${TS}`, "1 2", "9".repeat(13)])(
    "refuses the timestamp %j",
    (stamp) => {
      expect(verifyWebhook(request({ headers: { "svix-timestamp": stamp } }))).toEqual(
        refused({ kind: "bad-timestamp" }),
      );
    },
  );

  it("refuses a re-serialised body, even with the same JSON meaning", () => {
    const reserialised = JSON.stringify(JSON.parse(BODY), null, 2);
    expect(JSON.parse(reserialised)).toEqual(JSON.parse(BODY));
    expect(verifyWebhook(request({ body: bytes(reserialised) }))).toEqual(
      refused({ kind: "bad-signature" }),
    );
    expect(verifyWebhook(request({ body: bytes(`${BODY}\n`) }))).toEqual(
      refused({ kind: "bad-signature" }),
    );
  });

  it("verifies the exact bytes: a leading BOM is signed content, not dropped", () => {
    const withBom = `\ufeff${BODY}`;
    const signature = signWebhook(SECRET, ID, TS, withBom);
    expect(
      verifyWebhook(request({ body: bytes(withBom), headers: { "svix-signature": signature } })),
    ).toMatchObject({ ok: true, value: { body: withBom } });
    // The same signature does not cover the body without its BOM.
    expect(verifyWebhook(request({ headers: { "svix-signature": signature } }))).toEqual(
      refused({ kind: "bad-signature" }),
    );
  });

  it("refuses a body that is not UTF-8 instead of verifying a lossy decoding of it", () => {
    const body = new Uint8Array([...bytes('{"type":"'), 0xff, 0xfe, ...bytes('"}')]);
    const lossy = new TextDecoder().decode(body);
    const signature = signWebhook(SECRET, ID, TS, lossy);
    expect(verifyWebhook(request({ body, headers: { "svix-signature": signature } }))).toEqual(
      refused({ kind: "body-not-utf8" }),
    );
  });

  it("verifies a multi-byte UTF-8 body", () => {
    const body = BODY.replace("550 5.1.1 user unknown", "Empfänger unbekannt \u2013 \u{1f4ec}");
    const signature = signWebhook(SECRET, ID, TS, body);
    expect(
      verifyWebhook(request({ body: bytes(body), headers: { "svix-signature": signature } })).ok,
    ).toBe(true);
  });

  it.each([
    ["without the whsec_ prefix", SECRET.slice("whsec_".length)],
    ["the prefix alone", "whsec_"],
    ["not base64 after the prefix", "whsec_not base64!"],
    ["empty", ""],
    ["an API key pasted by mistake", "re_123456789_abcdefghijklmnop"],
  ])("refuses every request when the secret is %s", (_, secret) => {
    expect(verifyWebhook(request({ secret }))).toEqual(refused({ kind: "bad-secret" }));
  });
});

describe("signWebhook", () => {
  it("throws on a secret without the whsec_ prefix (a bug in the caller, not input)", () => {
    expect(() => signWebhook("abc", ID, TS, BODY)).toThrow(/whsec_/);
  });
});
