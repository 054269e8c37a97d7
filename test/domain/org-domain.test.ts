import { describe, expect, it } from "vitest";
import { normalizeDomain, registrableDomain, relaxedAligned } from "../../src/domain/org-domain";

describe("normalizeDomain", () => {
  it.each([
    ["Example.COM", "example.com"],
    ["example.com.", "example.com"],
    [" mail.example.com ", "mail.example.com"],
    ["bücher.example", "xn--bcher-kva.example"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["_dmarc.example.com", "_dmarc.example.com"],
  ])("%s -> %s", (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each([
    "",
    ".",
    "a..b.com",
    "-bad.example",
    "bad-.example",
    "exa mple.com",
    "example.com/path",
    "user@example.com",
    "bücher.example/x",
    `${"a".repeat(64)}.example`,
    `${"a.".repeat(127)}example`,
  ])("refuses %j", (input) => {
    expect(normalizeDomain(input)).toBeNull();
  });
});

describe("registrableDomain (the Public Suffix List, from tldts)", () => {
  it.each([
    ["mail.example.com", "example.com"],
    ["example.com", "example.com"],
    ["news.bbc.co.uk", "bbc.co.uk"],
    ["co.uk", null],
    ["com", null],
    // Private suffixes count: each github.io site is its own organization.
    ["alice.github.io", "alice.github.io"],
    ["github.io", null],
    ["app.herokuapp.com", "app.herokuapp.com"],
    ["example.com.evil.example", "evil.example"],
    ["192.0.2.1", null],
    ["localhost", null],
  ])("%s -> %s", (domain, expected) => {
    expect(registrableDomain(domain)).toBe(expected);
  });
});

describe("relaxedAligned", () => {
  it.each([
    ["example.com", "example.com"],
    ["mail.example.com", "example.com"],
    ["example.com", "bounce.mail.example.com"],
    ["EXAMPLE.com", "example.COM."],
    ["news.bbc.co.uk", "bbc.co.uk"],
    ["bücher.example", "xn--bcher-kva.example"],
    // A suffix aligns with itself only (some mail really comes from such names).
    ["co.uk", "co.uk"],
    ["localhost", "localhost"],
  ])("%s aligns with %s", (a, b) => {
    expect(relaxedAligned(a, b)).toBe(true);
  });

  it.each([
    ["evil.example", "example.com"],
    ["example.com.evil.example", "example.com"],
    ["evil-example.com", "example.com"],
    ["example.co", "example.com"],
    ["examplecom", "example.com"],
    ["bbc.co.uk", "evil.co.uk"],
    ["co.uk", "bbc.co.uk"],
    ["alice.github.io", "mallory.github.io"],
    ["github.io", "alice.github.io"],
    ["a.herokuapp.com", "b.herokuapp.com"],
    ["192.0.2.1", "192.0.2.2"],
    ["", ""],
    ["not a domain", "not a domain"],
  ])("%s does not align with %s", (a, b) => {
    expect(relaxedAligned(a, b)).toBe(false);
  });
});
