import { describe, expect, it } from "vitest";
import { type Config, parseConfig } from "../../src/config";
import { headerSafe, MAX_SUBJECT, outgoingSubject } from "../../src/domain/outgoing";
import { composeEmail } from "../../src/mail/compose";

const parsed = parseConfig({
  MAIL_DOMAIN: "sprout.test",
  SIGNING_SECRET: "compose-test-secret-0123456789",
} as Env);
if (!parsed.ok) throw new Error("test config must parse");
const config: Config = parsed.value;

describe("headerSafe", () => {
  it.each([
    ["Hello\r\nBcc: victim@evil.example", "Hello Bcc: victim@evil.example"],
    ["a\nb", "a b"],
    ["a\rb", "a b"],
    ["a\u0000b", "a b"],
    ["a\u2028b\u2029c", "a b c"],
    ["tab\there", "tab here"],
    ["  plain  ", "plain"],
    ["Ünïcödé 😀 ok", "Ünïcödé 😀 ok"],
  ])("%j -> %j", (input, expected) => {
    expect(headerSafe(input)).toBe(expected);
  });
});

describe("outgoingSubject", () => {
  it("keeps short subjects", () => {
    expect(outgoingSubject("Re: Coffee next week?")).toBe("Re: Coffee next week?");
  });
  it(`cuts long subjects to ${MAX_SUBJECT} characters`, () => {
    expect(outgoingSubject("x".repeat(990))).toHaveLength(MAX_SUBJECT);
  });
  it("never ends on half a surrogate pair", () => {
    const subject = `${"x".repeat(MAX_SUBJECT - 1)}😀😀`;
    const out = outgoingSubject(subject);
    expect(out).toBe("x".repeat(MAX_SUBJECT - 1));
    expect(out.length).toBeLessThanOrEqual(MAX_SUBJECT);
  });
});

describe("composeEmail", () => {
  const rendered = {
    subject: "Re: Hello\r\nBcc: victim@evil.example",
    text: "t",
    html: "<p>h</p>",
  };

  it("makes every header value safe, whatever the template produced", () => {
    const email = composeEmail(config, {
      to: "owner@example.com\r\nBcc: x@evil.example",
      rendered,
      autoSubmitted: "auto-generated",
      thread: { parentId: "p@x\r\nBcc: y@evil.example", ancestors: ["a@x"] },
      replyTo: "re-abc@sprout.test\nBcc: z@evil.example",
      headers: { "List-Unsubscribe": "<https://sprout.test/u>\r\nBcc: w@evil.example" },
    });
    const all = [email.to, email.subject, email.replyTo ?? "", ...Object.values(email.headers)];
    for (const value of all) expect(value).not.toMatch(/[\r\n]/);
    expect(email.subject).toBe("Re: Hello Bcc: victim@evil.example");
    expect(email.headers["Auto-Submitted"]).toBe("auto-generated");
  });

  it("threads under the parent with at most 20 references, parent last", () => {
    const ancestors = Array.from({ length: 30 }, (_, i) => `a${i}@x`);
    const email = composeEmail(config, {
      to: "owner@example.com",
      rendered: { subject: "s", text: "t", html: "h" },
      autoSubmitted: "auto-replied",
      thread: { parentId: "p@x", ancestors },
    });
    expect(email.headers["In-Reply-To"]).toBe("<p@x>");
    const refs = (email.headers.References ?? "").split(" ");
    expect(refs).toHaveLength(20);
    expect(refs.at(-1)).toBe("<p@x>");
    expect(email.headers["Auto-Submitted"]).toBe("auto-replied");
  });

  it("leaves threading headers and Reply-To out when not asked for", () => {
    const email = composeEmail(config, {
      to: "owner@example.com",
      rendered: { subject: "s", text: "t", html: "h" },
      autoSubmitted: "auto-generated",
    });
    expect(Object.keys(email.headers)).toEqual(["Auto-Submitted"]);
    expect(email.replyTo).toBeUndefined();
    expect(email.from).toBe(config.fromAddress);
  });
});
