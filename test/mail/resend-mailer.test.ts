import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OutgoingEmail } from "../../src/domain/outgoing";
import { ResendMailer } from "../../src/mail/resend-mailer";

// Outbound HTTP is denied by default: only requests to the fake Resend base URL are
// answered, by the handler each test sets; anything else fails the test.
const BASE = "http://resend.fake";
type Handler = (req: Request) => Response | Promise<Response>;
let handler: Handler;
const requests: Request[] = [];

beforeEach(() => {
  requests.length = 0;
  handler = () => new Response("no handler", { status: 599 });
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    if (!req.url.startsWith(`${BASE}/`)) throw new Error(`outbound request denied: ${req.url}`);
    requests.push(req.clone());
    return handler(req);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const email: OutgoingEmail = {
  from: "Sprout <sprout@sprout.test>",
  to: "owner@example.com",
  subject: "Re: Coffee next week?",
  text: "plain",
  html: "<p>html</p>",
  replyTo: "re-abcdefghij-abcdefghijklmnop@sprout.test",
  headers: { "Auto-Submitted": "auto-generated", "In-Reply-To": "<m@x>" },
};

describe("ResendMailer", () => {
  it("posts to /emails with the Idempotency-Key and the exact payload", async () => {
    handler = () => Response.json({ id: "em_1" });
    const outcome = await new ResendMailer("re_test", BASE).send({
      email,
      idempotencyKey: "key-1",
    });
    expect(outcome).toEqual({ status: "sent", providerId: "em_1" });
    const [req] = requests;
    expect(req?.url).toBe(`${BASE}/emails`);
    expect(req?.method).toBe("POST");
    expect(req?.headers.get("Idempotency-Key")).toBe("key-1");
    expect(req?.headers.get("Authorization")).toBe("Bearer re_test");
    const body = (await req?.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      from: email.from,
      to: email.to,
      subject: email.subject,
      text: "plain",
      html: "<p>html</p>",
      reply_to: email.replyTo,
      headers: email.headers,
    });
  });

  it("posts batches to /emails/batch with one key and maps ids in order", async () => {
    handler = () => Response.json({ data: [{ id: "a" }, { id: "b" }] });
    const outcomes = await new ResendMailer("re_test", BASE).sendBatch(
      [
        { email, idempotencyKey: "k1" },
        { email: { ...email, to: "two@example.com" }, idempotencyKey: "k2" },
      ],
      "batch-1",
    );
    expect(outcomes).toEqual([
      { status: "sent", providerId: "a" },
      { status: "sent", providerId: "b" },
    ]);
    expect(requests[0]?.url).toBe(`${BASE}/emails/batch`);
    expect(requests[0]?.headers.get("Idempotency-Key")).toBe("batch-1");
    const body = (await requests[0]?.json()) as unknown[];
    expect(body).toHaveLength(2);
  });

  it.each([
    [429, { "retry-after": "7" }, { status: "retry", retryAfterMs: 7000, rateLimited: true }],
    [429, {}, { status: "retry", retryAfterMs: null, rateLimited: true }],
    [500, {}, { status: "retry", retryAfterMs: null, rateLimited: false }],
    [503, {}, { status: "retry", retryAfterMs: null, rateLimited: false }],
    [422, {}, { status: "rejected" }],
    [403, {}, { status: "rejected" }],
  ])("classifies HTTP %i", async (status, headers, expected) => {
    handler = () =>
      Response.json(
        { statusCode: status, name: "validation_error", message: "nope" },
        { status, headers },
      );
    const outcome = await new ResendMailer("re_test", BASE).send({ email, idempotencyKey: "k" });
    expect(outcome).toMatchObject(expected);
  });

  it("treats a network failure as retryable", async () => {
    handler = () => {
      throw new TypeError("connection refused");
    };
    const outcome = await new ResendMailer("re_test", BASE).send({ email, idempotencyKey: "k" });
    expect(outcome).toMatchObject({ status: "retry" });
  });

  it("gives up on a request that does not answer in time and says so, as a retry", async () => {
    let aborted = false;
    handler = (req) =>
      new Promise((_resolve, reject) => {
        req.signal.addEventListener("abort", () => {
          aborted = true;
          reject(req.signal.reason);
        });
      });
    const mailer = new ResendMailer("re_test", BASE, 50);
    const single = await mailer.send({ email, idempotencyKey: "k" });
    expect(single).toMatchObject({ status: "retry", rateLimited: false });
    expect(single.status === "retry" && single.reason).toContain("timeout");
    const batch = await mailer.sendBatch(
      [
        { email, idempotencyKey: "k1" },
        { email, idempotencyKey: "k2" },
      ],
      "batch-k",
    );
    expect(batch.map((o) => o.status)).toEqual(["retry", "retry"]);
    expect(aborted).toBe(true);
  });

  it("keeps a quick answer that comes well within the timeout", async () => {
    handler = () => Response.json({ id: "em_quick" });
    const outcome = await new ResendMailer("re_test", BASE, 5_000).send({
      email,
      idempotencyKey: "k",
    });
    expect(outcome).toEqual({ status: "sent", providerId: "em_quick" });
  });
});
