import { describe, expect, it } from "vitest";
import { MAX_EVENT_RECIPIENTS, readResendEvent } from "../../src/mail/resend-events";

// Shaped like Resend's documented payloads (resend.com/docs/webhooks/emails/bounced and
// .../complained; the resend SDK's EmailBouncedEvent / EmailComplainedEvent types).
function event(type: string, data: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type,
    created_at: "2026-12-04T09:00:00.000Z",
    data: {
      created_at: "2026-12-04T08:59:58.894719+00:00",
      email_id: "56761188-7520-42d8-8898-ff6fc54ce618",
      from: "Sprout <sprout@sprout.example>",
      to: ["Jane.Doe@Example.com"],
      subject: "Follow up with Sam",
      ...data,
    },
  });
}

const bounced = (bounce: Record<string, unknown> | undefined) =>
  event("email.bounced", bounce === undefined ? {} : { bounce });

describe("readResendEvent", () => {
  it("suppresses the recipient of a permanent bounce", () => {
    const body = bounced({
      message:
        "The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.",
      subType: "Suppressed",
      type: "Permanent",
    });
    expect(readResendEvent(body)).toEqual({
      kind: "suppress",
      cause: "bounce",
      recipients: ["jane.doe@example.com"],
      emailId: "56761188-7520-42d8-8898-ff6fc54ce618",
      detail:
        "Permanent/Suppressed: The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.",
    });
  });

  it("suppresses the recipient of a complaint", () => {
    expect(readResendEvent(event("email.complained"))).toEqual({
      kind: "suppress",
      cause: "complaint",
      recipients: ["jane.doe@example.com"],
      emailId: "56761188-7520-42d8-8898-ff6fc54ce618",
      detail: "spam complaint",
    });
  });

  it.each([
    [
      { type: "Permanent", subType: "General", message: "550 5.1.1 user unknown" },
      "Permanent/General: 550 5.1.1 user unknown",
    ],
    [{ type: "permanent", subType: "NoEmail" }, "permanent/NoEmail"],
    [{ type: "hard" }, "hard"],
    [{ subType: "General", message: "550" }, "General: 550"],
    [{}, "bounce"],
  ])("treats %j as permanent", (bounce, detail) => {
    expect(readResendEvent(bounced(bounce))).toMatchObject({
      kind: "suppress",
      cause: "bounce",
      detail,
    });
  });

  it("treats a bounce event without a bounce object as permanent (the event is documented so)", () => {
    expect(readResendEvent(bounced(undefined))).toMatchObject({
      kind: "suppress",
      detail: "bounce",
    });
  });

  // Decision (e2): Resend refusing to send to an address on its own suppression list means
  // the email did not go out and the next will not either; Sprout records it, so the user's
  // page says why their mail stopped and no request is spent on it.
  it("suppresses the recipient Resend refused to send to (its own suppression list)", () => {
    const body = event("email.suppressed", {
      suppressed: {
        type: "OnAccountSuppressionList",
        message: "Resend has suppressed sending to this address.",
      },
    });
    expect(readResendEvent(body)).toEqual({
      kind: "suppress",
      cause: "provider",
      recipients: ["jane.doe@example.com"],
      emailId: "56761188-7520-42d8-8898-ff6fc54ce618",
      detail: "OnAccountSuppressionList: Resend has suppressed sending to this address.",
    });
    expect(readResendEvent(event("email.suppressed"))).toMatchObject({
      cause: "provider",
      detail: "on Resend's suppression list",
    });
  });

  it("keeps an email.suppressed reason short and on one line", () => {
    const result = readResendEvent(
      event("email.suppressed", { suppressed: { type: "x\r\ny", message: "z".repeat(1_000) } }),
    );
    expect(result.kind === "suppress" && result.detail.length).toBeLessThanOrEqual(300);
    expect(result.kind === "suppress" && result.detail).not.toMatch(/[\r\n]/);
  });

  it.each([
    [{ type: "Transient", subType: "MailboxFull" }, "temporary bounce (Transient/MailboxFull)"],
    [{ type: "Transient", subType: "General" }, "temporary bounce (Transient/General)"],
    [
      { type: "Undetermined", subType: "Undetermined" },
      "temporary bounce (Undetermined/Undetermined)",
    ],
    [{ type: "soft" }, "temporary bounce (soft)"],
  ])("changes nothing for %j", (bounce, why) => {
    expect(readResendEvent(bounced(bounce))).toEqual({ kind: "ignore", why });
  });

  it.each([
    "email.sent",
    "email.delivered",
    "email.delivery_delayed",
    "email.opened",
    "email.clicked",
    "email.failed",
    "suppression.added",
    "suppression.removed",
    "contact.created",
    "domain.updated",
  ])("ignores %s", (type) => {
    expect(readResendEvent(event(type))).toEqual({
      kind: "ignore",
      why: `Sprout does not act on ${type}`,
    });
  });

  it.each([
    ["not JSON", "{not json", "the body is not JSON"],
    ["JSON but no object", "[1,2]", "no event type"],
    ["no type", JSON.stringify({ data: {} }), "no event type"],
    ["a number as type", JSON.stringify({ type: 42 }), "no event type"],
    ["null", "null", "no event type"],
  ])("ignores a body that is %s", (_, body, why) => {
    expect(readResendEvent(body)).toEqual({ kind: "ignore", why });
  });

  it.each([
    ["no data", JSON.stringify({ type: "email.bounced" })],
    ["no to", event("email.complained", { to: undefined })],
    ["an empty to", event("email.complained", { to: [] })],
    [
      "a to of non-addresses",
      event("email.complained", { to: ["", "not an address", 7, null, "a@b"] }),
    ],
  ])("ignores an event with %s", (_, body) => {
    expect(readResendEvent(body)).toMatchObject({ kind: "ignore" });
  });

  it("reads display-name recipients, a single string, and drops duplicates", () => {
    expect(
      readResendEvent(
        event("email.complained", { to: ["Jane <JANE@example.com>", "jane@example.com", "x@y"] }),
      ),
    ).toMatchObject({ recipients: ["jane@example.com"] });
    expect(readResendEvent(event("email.complained", { to: "sam@example.com" }))).toMatchObject({
      recipients: ["sam@example.com"],
    });
  });

  it("takes at most MAX_EVENT_RECIPIENTS recipients", () => {
    const to = Array.from({ length: 1_000 }, (_, i) => `user${i}@example.com`);
    const result = readResendEvent(event("email.complained", { to }));
    expect(result.kind === "suppress" && result.recipients.length).toBe(MAX_EVENT_RECIPIENTS);
  });

  it("keeps control characters and length out of what it hands on", () => {
    const result = readResendEvent(
      bounced({
        type: "Permanent",
        subType: "General",
        message: `550\r\nX-Injected: 1\u2028${"x".repeat(1_000)}`,
      }),
    );
    expect(result.kind).toBe("suppress");
    if (result.kind !== "suppress") return;
    expect(result.detail.length).toBeLessThanOrEqual(300);
    expect(result.detail).not.toMatch(/[\r\n\u2028]/);
    expect(result.detail.startsWith("Permanent/General: 550 X-Injected: 1 x")).toBe(true);
  });

  it("keeps an unknown event type short in the reason", () => {
    const result = readResendEvent(JSON.stringify({ type: `x${"y".repeat(500)}\n` }));
    expect(result.kind === "ignore" && result.why.length).toBeLessThanOrEqual(100);
  });
});
