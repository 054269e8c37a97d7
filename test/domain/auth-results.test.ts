import { describe, expect, it } from "vitest";
import { parseAuthResults, propertyOf } from "../../src/domain/auth-results";

const CLOUDFLARE =
  "i=1; mx.cloudflare.net;\r\n\tdkim=pass header.d=browserless.example header.s=s1 header.b=CiN9J/AU;\r\n" +
  "\tdmarc=pass header.from=browserless.example policy.dmarc=none;\r\n" +
  "\tspf=none (mx.cloudflare.net: no SPF records found for postmaster@o1.sendgrid.example) smtp.helo=o1.sendgrid.example;\r\n" +
  "\tspf=pass (mx.cloudflare.net: domain of bounces+6076035-b403-x=y.example@email.browserless.example designates 192.0.2.42 as permitted sender) smtp.mailfrom=bounces+6076035-b403-x=y.example@email.browserless.example;\r\n" +
  "\tarc=none smtp.remote-ip=192.0.2.42";

describe("parseAuthResults", () => {
  it("reads a Cloudflare ARC stamp: instance, authserv-id, every result and property", () => {
    const parsed = parseAuthResults(CLOUDFLARE, true);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.instance).toBe(1);
    expect(parsed.value.authservId).toBe("mx.cloudflare.net");
    expect(parsed.value.results.map((r) => `${r.method}=${r.result}`)).toEqual([
      "dkim=pass",
      "dmarc=pass",
      "spf=none",
      "spf=pass",
      "arc=none",
    ]);
    const [dkim, dmarc, , spf, arc] = parsed.value.results;
    expect(dkim?.properties).toEqual([
      { ptype: "header", property: "d", value: "browserless.example" },
      { ptype: "header", property: "s", value: "s1" },
      { ptype: "header", property: "b", value: "CiN9J/AU" },
    ]);
    expect(dmarc && propertyOf(dmarc, "policy.dmarc")).toBe("none");
    // `=` inside a value belongs to the value.
    expect(spf && propertyOf(spf, "smtp.mailfrom")).toBe(
      "bounces+6076035-b403-x=y.example@email.browserless.example",
    );
    expect(arc && propertyOf(arc, "smtp.remote-ip")).toBe("192.0.2.42");
  });

  it("reads the plain header, with a version after the authserv-id", () => {
    const parsed = parseAuthResults("mx.cloudflare.net 1; dkim=pass header.d=example.com", false);
    expect(parsed).toMatchObject({
      ok: true,
      value: { instance: null, authservId: "mx.cloudflare.net", results: [{ method: "dkim" }] },
    });
  });

  it("is case-insensitive in methods, results and property names, and keeps values", () => {
    const parsed = parseAuthResults("MX.CloudFlare.NET; DKIM=PASS Header.D=Example.COM", false);
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        authservId: "MX.CloudFlare.NET",
        results: [
          {
            method: "dkim",
            result: "pass",
            properties: [{ ptype: "header", property: "d", value: "Example.COM" }],
          },
        ],
      },
    });
  });

  it("reads quoted values, a quoted local part, reasons and method versions", () => {
    const parsed = parseAuthResults(
      'example.net; dkim/1=fail reason="bad signature; really" header.b="abc==";' +
        ' spf=pass smtp.mailfrom="john doe"@example.com; dmarc = pass header.from = example.com',
      false,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [dkim, spf, dmarc] = parsed.value.results;
    expect(dkim).toMatchObject({ method: "dkim", result: "fail", reason: "bad signature; really" });
    expect(dkim && propertyOf(dkim, "header.b")).toBe("abc==");
    expect(spf && propertyOf(spf, "smtp.mailfrom")).toBe("john doe@example.com");
    expect(dmarc && propertyOf(dmarc, "header.from")).toBe("example.com");
  });

  it("keeps base64 padding and unquoted IPv6 addresses whole", () => {
    const parsed = parseAuthResults(
      "mx.cloudflare.net; dkim=pass header.b=Ab+/cd==; arc=pass smtp.remote-ip=2a00:1450:4864:20::535",
      false,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const [dkim, arc] = parsed.value.results;
    expect(dkim && propertyOf(dkim, "header.b")).toBe("Ab+/cd==");
    expect(arc && propertyOf(arc, "smtp.remote-ip")).toBe("2a00:1450:4864:20::535");
  });

  it("treats results inside comments and quoted strings as text", () => {
    const parsed = parseAuthResults(
      'mx.cloudflare.net; spf=fail (dmarc=pass; dkim=pass header.d=example.com) smtp.mailfrom=x@evil.example reason="dmarc=pass"',
      false,
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: { results: [{ method: "spf", result: "fail" }] },
    });
  });

  it("reads `none` (no results) and skips empty members", () => {
    expect(parseAuthResults("mx.cloudflare.net; none", false)).toMatchObject({
      ok: true,
      value: { results: [] },
    });
    expect(parseAuthResults("mx.cloudflare.net;; dkim=pass;;", false)).toMatchObject({
      ok: true,
      value: { results: [{ method: "dkim" }] },
    });
    expect(parseAuthResults("i=1; mx.cloudflare.net", true)).toMatchObject({
      ok: true,
      value: { results: [] },
    });
  });

  it.each([
    [
      "an unclosed comment",
      "mx.cloudflare.net; dmarc=fail (oops; dmarc=pass",
      false,
      "a comment is not closed",
    ],
    [
      "an unclosed quote",
      'mx.cloudflare.net; dmarc=fail reason="x; dmarc=pass',
      false,
      "a quoted string is not closed",
    ],
    ["a stray )", "mx.cloudflare.net; dmarc=fail) dmarc=pass", false, "a ) without its ("],
    [
      "an ARC value read as plain",
      "i=1; mx.cloudflare.net; dmarc=pass",
      false,
      "unexpected text after the authserv-id i",
    ],
    [
      "a plain value read as ARC",
      "mx.cloudflare.net; dmarc=pass",
      true,
      "an ARC stamp must start with i=",
    ],
    [
      "an ARC instance that is no number",
      "i=x; mx.cloudflare.net",
      true,
      "the ARC instance is not a number from 1 to 99",
    ],
    [
      "no authserv-id",
      "dmarc=pass header.from=example.com",
      false,
      "unexpected text after the authserv-id dmarc",
    ],
    ["nothing at all", "", false, "the stamp does not start with an authserv-id"],
    [
      "two words for an id",
      "mx.cloudflare.net evil.example; dmarc=pass",
      false,
      "unexpected text after the authserv-id mx.cloudflare.net",
    ],
    [
      "a method without a result",
      "mx.cloudflare.net; dkim",
      false,
      "the result of dkim is not method=result",
    ],
    [
      "a stray word",
      "mx.cloudflare.net; dkim=pass header.d=example.com junk",
      false,
      "junk in the dkim result has no =",
    ],
    [
      "a property without a value",
      "mx.cloudflare.net; dkim=pass header.d=",
      false,
      "header.d in the dkim result has no value",
    ],
    [
      "spaces around the property dot",
      "mx.cloudflare.net; dkim=pass header . d=example.com",
      false,
      "header in the dkim result has no =",
    ],
  ])("refuses %s", (_, value, arc, error) => {
    expect(parseAuthResults(value, arc)).toEqual({ ok: false, error });
  });

  it("reads a 900 KB stamp of 13,600 results in one pass", () => {
    const one = "dkim=pass header.d=example.com header.s=selector1 header.b=AbCdEf;";
    const value = `mx.cloudflare.net; ${one.repeat(13_600)}`;
    expect(value.length).toBeGreaterThan(890_000);
    const parsed = parseAuthResults(value, false);
    expect(parsed.ok && parsed.value.results.length).toBe(13_600);
  });

  it("reads 900 KB of `=` and of `(` without keeping tokens", () => {
    expect(parseAuthResults(`mx.cloudflare.net; dkim${"=".repeat(900_000)}`, false)).toEqual({
      ok: false,
      error: "the result of dkim is not method=result",
    });
    expect(parseAuthResults(`mx.cloudflare.net; ${"(".repeat(900_000)}`, false)).toEqual({
      ok: false,
      error: "a comment is not closed",
    });
  });
});
