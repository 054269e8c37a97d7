import { describe, expect, it } from "vitest";
import { singleFromMailbox } from "../../src/domain/from-mailbox";
import { readHeaders } from "../../src/domain/raw-headers";
import {
  MAX_STAMP_LENGTH,
  type SenderAuth,
  senderAuth,
  senderAuthRejection,
} from "../../src/domain/sender-auth";
import dkimOnly from "../fixtures/auth/dkim-only.eml?raw";
import failing from "../fixtures/auth/failing.eml?raw";
import forwarded from "../fixtures/auth/forwarded-no-cloudflare-stamp.eml?raw";
import gmail from "../fixtures/auth/gmail.eml?raw";
import outlook from "../fixtures/auth/outlook.eml?raw";
import spfOnly from "../fixtures/auth/spf-only.eml?raw";

const ARC = "ARC-Authentication-Results";
const AR = "Authentication-Results";

/** Header lines (name, value) above a From header, as a raw message. */
function message(fields: [string, string][], from = "jane@example.com"): string {
  return `${fields.map(([n, v]) => `${n}: ${v}\r\n`).join("")}From: ${from}\r\n\r\nbody\r\n`;
}

function verdict(fields: [string, string][], from = "jane@example.com"): SenderAuth {
  return senderAuth(readHeaders(message(fields, from)), from);
}

const ok = (by: "dmarc" | "dkim" | "spf", description: string) => ({
  kind: "authenticated",
  by,
  description,
});
const no = (reason: string, description: string) => ({
  kind: "unauthenticated",
  reason,
  description,
});

describe("senderAuth on real-shaped Cloudflare deliveries", () => {
  it.each([
    ["gmail.eml", gmail, ok("dmarc", "dmarc=pass header.from=gmail.com")],
    [
      "outlook.eml (Cloudflare's ARC instance is i=2)",
      outlook,
      ok("dmarc", "dmarc=pass header.from=outlook.com"),
    ],
    [
      "dkim-only.eml (no DMARC record; DKIM for the parent domain)",
      dkimOnly,
      ok(
        "dkim",
        "dmarc=none header.from=mail.northwind.example; dkim=pass header.d=northwind.example",
      ),
    ],
    [
      "spf-only.eml (no DMARC record, no DKIM)",
      spfOnly,
      ok("spf", "dmarc=none header.from=fernwood.example; spf=pass smtp.mailfrom=fernwood.example"),
    ],
    [
      "failing.eml (spoofed, with a forged pass further down)",
      failing,
      no("dmarc-failed", "dmarc=fail header.from=bank.example"),
    ],
    [
      "forwarded-no-cloudflare-stamp.eml (workerd issue 6740)",
      forwarded,
      no("foreign-stamp", "stamp from another server: mx.google.com"),
    ],
  ])("%s", (_, raw, expected) => {
    const headers = readHeaders(raw);
    const from = singleFromMailbox(headers);
    if (!from.ok) throw new Error(`fixture From: ${from.error.kind}`);
    expect(senderAuth(headers, from.value.address)).toEqual(expected);
  });
});

describe("senderAuth: which stamp is believed", () => {
  const cfPass = "i=1; mx.cloudflare.net; dmarc=pass header.from=example.com";
  const cfFail = "i=1; mx.cloudflare.net; dmarc=fail header.from=example.com policy.dmarc=reject";

  it("believes the first stamp", () => {
    expect(verdict([[ARC, cfPass]])).toEqual(ok("dmarc", "dmarc=pass header.from=example.com"));
  });

  it("ignores a forged passing stamp below a failing one", () => {
    const forged =
      "mx.cloudflare.net; dkim=pass header.d=example.com; dmarc=pass header.from=example.com";
    expect(
      verdict([
        [ARC, cfFail],
        [AR, forged],
      ]),
    ).toEqual(no("dmarc-failed", "dmarc=fail header.from=example.com"));
  });

  it("refuses a passing stamp from another server on top, even above Cloudflare's pass", () => {
    expect(
      verdict([
        [AR, "mx.evil.example; dmarc=pass header.from=example.com"],
        [ARC, cfPass],
      ]),
    ).toEqual(no("foreign-stamp", "stamp from another server: mx.evil.example"));
  });

  it.each([
    "mx.cloudflare.net.evil.example",
    "cloudflare.net",
    "mx.cloudf1are.net",
    "evil-mx.cloudflare.net",
  ])("refuses a lookalike authserv-id %s", (id) => {
    expect(verdict([[AR, `${id}; dmarc=pass header.from=example.com`]])).toMatchObject({
      kind: "unauthenticated",
      reason: "foreign-stamp",
    });
  });

  it("accepts the authserv-id in any case, with a final dot, or quoted", () => {
    for (const id of ["MX.CLOUDFLARE.NET", "mx.cloudflare.net.", '"mx.cloudflare.net"']) {
      expect(verdict([[AR, `${id}; dmarc=pass header.from=example.com`]])).toMatchObject({
        kind: "authenticated",
      });
    }
  });

  it("reads a folded multi-line stamp (LF or CRLF, tabs or spaces)", () => {
    const raw =
      "ARC-Authentication-Results: i=1;\n  mx.cloudflare.net;\n\tdkim=pass\n header.d=example.com;\n" +
      "\tdmarc=pass\r\n        header.from=example.com\nFrom: jane@example.com\n\nbody";
    expect(senderAuth(readHeaders(raw), "jane@example.com")).toEqual(
      ok("dmarc", "dmarc=pass header.from=example.com"),
    );
  });

  it("is case-insensitive throughout", () => {
    const stamp =
      "I=1; MX.CLOUDFLARE.NET; DKIM=PASS HEADER.D=EXAMPLE.COM; DMARC=PASS HEADER.FROM=EXAMPLE.COM";
    expect(verdict([["ARC-AUTHENTICATION-RESULTS", stamp]], "Jane@Example.COM")).toEqual(
      ok("dmarc", "dmarc=pass header.from=EXAMPLE.COM"),
    );
  });

  it("refuses a message without any stamp", () => {
    expect(verdict([["Received", "from somewhere"]])).toEqual(
      no("no-stamp", "no Cloudflare authentication stamp"),
    );
  });

  it("refuses an empty stamp", () => {
    expect(verdict([[AR, ""]])).toEqual(
      no(
        "unreadable-stamp",
        "unreadable authentication stamp: the stamp does not start with an authserv-id",
      ),
    );
  });

  it.each([
    ["i=1; mx.cloudflare.net; arc=none", ARC],
    ["mx.cloudflare.net; none", AR],
    ["i=1; mx.cloudflare.net", ARC],
  ])("refuses a Cloudflare stamp without results: %s", (stamp, name) => {
    expect(verdict([[name, stamp]])).toEqual(no("no-aligned-pass", "no DKIM, SPF or DMARC result"));
  });

  it("refuses an ARC value under the plain name, and a plain value under the ARC name", () => {
    expect(verdict([[AR, cfPass]])).toMatchObject({ reason: "unreadable-stamp" });
    expect(verdict([[ARC, "mx.cloudflare.net; dmarc=pass header.from=example.com"]])).toMatchObject(
      {
        reason: "unreadable-stamp",
      },
    );
  });

  it("reads only the first of 10,000 stamps", () => {
    const forged: [string, string][] = Array.from({ length: 9_999 }, () => [AR, cfPass.slice(5)]);
    expect(verdict([[ARC, cfFail], ...forged])).toMatchObject({ reason: "dmarc-failed" });
    expect(verdict([[AR, "mx.evil.example; none"], ...forged])).toMatchObject({
      reason: "foreign-stamp",
    });
    expect(verdict([[ARC, cfPass], ...forged])).toMatchObject({ kind: "authenticated" });
  });

  it("refuses a 900 KB first stamp unread, and ignores one below Cloudflare's", () => {
    const huge = `mx.cloudflare.net; ${"dmarc=pass header.from=example.com; ".repeat(25_000)}`;
    expect(huge.length).toBeGreaterThan(900_000);
    expect(verdict([[AR, huge]])).toEqual(
      no("unreadable-stamp", `authentication stamp of ${huge.trimEnd().length} characters`),
    );
    expect(
      verdict([
        [ARC, cfPass],
        [AR, huge],
      ]),
    ).toMatchObject({ kind: "authenticated" });
  });

  it("reads a stamp of exactly the maximum length", () => {
    const head = "mx.cloudflare.net; dmarc=pass header.from=example.com (";
    const stamp = `${head}${"x".repeat(MAX_STAMP_LENGTH - head.length - 1)})`;
    expect(stamp.length).toBe(MAX_STAMP_LENGTH);
    expect(verdict([[AR, stamp]])).toMatchObject({ kind: "authenticated" });
  });
});

describe("senderAuth: DMARC, then aligned DKIM or SPF", () => {
  const cf = (results: string) =>
    [[ARC, `i=1; mx.cloudflare.net; ${results}`]] as [string, string][];

  it.each<[string, string, string, ReturnType<typeof ok> | ReturnType<typeof no>]>([
    [
      "dmarc=pass for another domain",
      "dmarc=pass header.from=evil.example",
      "jane@victim.example",
      no(
        "dmarc-other-domain",
        "dmarc=pass header.from=evil.example, but the From domain is victim.example",
      ),
    ],
    [
      "dmarc=pass for a subdomain of the From domain (header.from is exact)",
      "dmarc=pass header.from=mail.victim.example",
      "jane@victim.example",
      no(
        "dmarc-other-domain",
        "dmarc=pass header.from=mail.victim.example, but the From domain is victim.example",
      ),
    ],
    [
      "dmarc=pass without header.from",
      "dmarc=pass",
      "jane@example.com",
      no("dmarc-other-domain", "dmarc=pass without header.from"),
    ],
    [
      "dmarc=none for another domain, with an aligned DKIM pass",
      "dkim=pass header.d=example.com; dmarc=none header.from=evil.example",
      "jane@example.com",
      no(
        "dmarc-other-domain",
        "dmarc=none header.from=evil.example, but the From domain is example.com",
      ),
    ],
    [
      "dmarc=fail despite an aligned DKIM pass (strict alignment asked)",
      "dkim=pass header.d=mail.example.com; dmarc=fail header.from=example.com",
      "jane@example.com",
      no("dmarc-failed", "dmarc=fail header.from=example.com"),
    ],
    [
      "dmarc=temperror",
      "dkim=pass header.d=example.com; dmarc=temperror header.from=example.com",
      "jane@example.com",
      no("dmarc-failed", "dmarc=temperror header.from=example.com"),
    ],
    [
      "dmarc=permerror",
      "spf=pass smtp.mailfrom=example.com; dmarc=permerror header.from=example.com",
      "jane@example.com",
      no("dmarc-failed", "dmarc=permerror header.from=example.com"),
    ],
    [
      "two DMARC results (one smuggled in)",
      "dmarc=none header.from=example.com; dmarc=pass header.from=example.com",
      "jane@example.com",
      no("unreadable-stamp", "2 DMARC results in one stamp"),
    ],
    [
      "no DMARC result, aligned DKIM pass",
      "dkim=pass header.d=example.com",
      "jane@example.com",
      ok("dkim", "dkim=pass header.d=example.com"),
    ],
    [
      "no DMARC result, DKIM pass by header.i",
      "dkim=pass header.i=@mail.example.com",
      "jane@example.com",
      ok("dkim", "dkim=pass header.d=mail.example.com"),
    ],
    [
      "several DKIM results: a failing aligned one, a foreign pass, then an aligned pass",
      "dkim=fail header.d=example.com; dkim=pass header.d=esp.example; dkim=pass header.d=example.com",
      "jane@example.com",
      ok("dkim", "dkim=pass header.d=example.com"),
    ],
    [
      "DKIM pass for another domain (header.d=evil.example, From gmail.com)",
      "dkim=pass header.d=evil.example; dmarc=none header.from=gmail.com",
      "jane@gmail.com",
      no(
        "no-aligned-pass",
        "dmarc=none header.from=gmail.com; nothing aligned with gmail.com: dkim=pass header.d=evil.example",
      ),
    ],
    [
      "SPF pass for another domain",
      "spf=pass smtp.mailfrom=bounce@evil.example",
      "jane@example.com",
      no(
        "no-aligned-pass",
        "nothing aligned with example.com: spf=pass smtp.mailfrom=evil.example",
      ),
    ],
    [
      "SPF pass on the HELO name only",
      "spf=pass smtp.helo=mail.example.com; spf=none smtp.mailfrom=x@evil.example",
      "jane@example.com",
      no(
        "no-aligned-pass",
        "nothing aligned with example.com: spf=pass, spf=none smtp.mailfrom=evil.example",
      ),
    ],
    [
      "aligned SPF pass",
      "spf=none smtp.helo=relay.example; spf=pass smtp.mailfrom=bounces+x=y@mail.example.com",
      "jane@example.com",
      ok("spf", "spf=pass smtp.mailfrom=mail.example.com"),
    ],
    [
      "aligned SPF fail",
      "spf=fail smtp.mailfrom=jane@example.com",
      "jane@example.com",
      no("no-aligned-pass", "nothing aligned with example.com: spf=fail smtp.mailfrom=example.com"),
    ],
    [
      "a pass hidden in a comment",
      "spf=fail (dmarc=pass header.from=example.com; dkim=pass header.d=example.com) smtp.mailfrom=x@evil.example",
      "jane@example.com",
      no(
        "no-aligned-pass",
        "nothing aligned with example.com: spf=fail smtp.mailfrom=evil.example",
      ),
    ],
    [
      "a pass behind an unclosed comment",
      "dmarc=fail (header.from=example.com; dmarc=pass header.from=example.com",
      "jane@example.com",
      no("unreadable-stamp", "unreadable authentication stamp: a comment is not closed"),
    ],
  ])("%s", (_, results, from, expected) => {
    expect(verdict(cf(results), from)).toEqual(expected);
  });

  it.each([
    ["lookalike parent", "dkim=pass header.d=example.com.evil.example", "jane@example.com"],
    ["lookalike child", "dkim=pass header.d=example.com", "jane@example.com.evil.example"],
    ["hyphenated lookalike", "dkim=pass header.d=evil-example.com", "jane@example.com"],
    ["suffix-only signer", "dkim=pass header.d=co.uk", "jane@bbc.co.uk"],
    ["sibling under a public suffix", "spf=pass smtp.mailfrom=x@evil.co.uk", "jane@bbc.co.uk"],
    [
      "sibling under a private suffix",
      "dkim=pass header.d=mallory.github.io",
      "alice@alice.github.io",
    ],
    ["the private suffix itself", "dkim=pass header.d=github.io", "alice@alice.github.io"],
  ])("does not align a %s", (_, results, from) => {
    expect(verdict(cf(results), from)).toMatchObject({
      kind: "unauthenticated",
      reason: "no-aligned-pass",
    });
  });

  it.each([
    ["a subdomain under co.uk", "dkim=pass header.d=bbc.co.uk", "jane@news.bbc.co.uk"],
    ["the same github.io site", "dkim=pass header.d=alice.github.io", "alice@mail.alice.github.io"],
    [
      "an internationalized domain",
      "dkim=pass header.d=xn--bcher-kva.example",
      "jane@bücher.example",
    ],
  ])("aligns %s", (_, results, from) => {
    expect(verdict(cf(results), from)).toMatchObject({ kind: "authenticated", by: "dkim" });
  });

  it("refuses a From address without a domain", () => {
    expect(verdict(cf("dmarc=pass header.from=example.com"), "jane")).toEqual(
      no("bad-from-domain", "no domain name in the From address"),
    );
  });

  it("names at most three results when nothing aligns", () => {
    const results = Array.from({ length: 5 }, (_, i) => `dkim=pass header.d=e${i}.example`).join(
      "; ",
    );
    expect(verdict(cf(results))).toEqual(
      no(
        "no-aligned-pass",
        "nothing aligned with example.com: dkim=pass header.d=e0.example, dkim=pass header.d=e1.example, dkim=pass header.d=e2.example, and 2 more",
      ),
    );
  });
});

describe("senderAuthRejection", () => {
  it("builds SPEC 9's sentence", () => {
    const v = verdict([[ARC, "i=1; mx.cloudflare.net; dmarc=fail header.from=example.com"]]);
    expect(senderAuthRejection("jane@example.com", v)).toBe(
      "Sprout could not verify that this message came from jane@example.com (dmarc=fail header.from=example.com)",
    );
  });

  it("keeps text from the stamp printable and short", () => {
    const id = `"mx evil\u0001${"x".repeat(200)}"`;
    const v = verdict([[AR, `${id}; dmarc=pass`]]);
    expect(v.description).toBe(`stamp from another server: mx?evil?${"x".repeat(69)}...`);
    const sentence = senderAuthRejection("jane@example.com", v);
    expect([...sentence].every((c) => c >= " " && c <= "~")).toBe(true);
  });
});
