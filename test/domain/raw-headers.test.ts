import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { headersNamed, headerText, readHeaders } from "../../src/domain/raw-headers";
import gmail from "../fixtures/auth/gmail.eml?raw";

const encode = (text: string) => new TextEncoder().encode(text);

describe("readHeaders", () => {
  it.each([
    ["CRLF", "A: 1\r\nB: 2\r\n\r\nbody: no"],
    ["LF", "A: 1\nB: 2\n\nbody: no"],
    ["mixed", "A: 1\r\nB: 2\n\r\nbody: no"],
    ["a line of CRs ends the section", "A: 1\r\nB: 2\r\n\r\r\nbody: no"],
    ["no body", "A: 1\r\nB: 2"],
    ["no body, final CRLF", "A: 1\r\nB: 2\r\n"],
  ])("reads fields in order (%s)", (_, text) => {
    expect(readHeaders(text)).toEqual([
      { name: "A", key: "a", value: "1" },
      { name: "B", key: "b", value: "2" },
    ]);
  });

  it("unfolds continuation lines, keeping the folding whitespace", () => {
    const [h] = readHeaders("Subject: Hello\r\n    World\r\n\tagain\r\nX: y\r\n\r\n");
    expect(h).toEqual({ name: "Subject", key: "subject", value: "Hello    World\tagain" });
  });

  it("keeps names as written and trims values", () => {
    expect(readHeaders("ARC-Authentication-Results:   i=1; x  \r\n\r\n")).toEqual([
      { name: "ARC-Authentication-Results", key: "arc-authentication-results", value: "i=1; x" },
    ]);
  });

  it("accepts whitespace before the colon (obsolete syntax), as postal-mime does", () => {
    expect(readHeaders("From : a@example.com\r\n\r\n")).toEqual([
      { name: "From", key: "from", value: "a@example.com" },
    ]);
  });

  it("skips lines that are not fields, and continuations that belong to nothing", () => {
    const text = " orphan continuation\r\nFrom sender@example.com\r\nno colon here\r\nA: 1\r\n\r\n";
    expect(readHeaders(text)).toEqual([{ name: "A", key: "a", value: "1" }]);
  });

  it("skips names with characters outside printable ASCII", () => {
    expect(readHeaders("Bad\u0000Name: x\r\nBäd: y\r\nGood: z\r\n\r\n").map((h) => h.key)).toEqual([
      "good",
    ]);
  });

  it("does not let a bare CR or a vertical tab start a From field", () => {
    // Only SP and HTAB fold and only LF ends a line: a bare CR stays inside its line (as a
    // space), and a line starting with a vertical tab has no valid field name.
    const fields = readHeaders("Subject: a\rFrom: evil@example.com\r\n\u000bFrom: x@y\r\n\r\n");
    expect(fields).toEqual([
      { name: "Subject", key: "subject", value: "a From: evil@example.com" },
    ]);
  });

  it("never reads into the body", () => {
    expect(headersNamed(readHeaders("A: 1\r\n\r\nFrom: body@example.com\r\n"), "from")).toEqual([]);
  });

  it("reads a real-shaped Cloudflare delivery in order", () => {
    const keys = readHeaders(gmail).map((h) => h.key);
    expect(keys.slice(0, 7)).toEqual([
      "received",
      "arc-seal",
      "arc-message-signature",
      "arc-authentication-results",
      "received-spf",
      "authentication-results",
      "x-cf-spamh-score",
    ]);
    expect(headersNamed(readHeaders(gmail), "From")).toHaveLength(1);
  });

  it("agrees with postal-mime on the fields of every fixture line shape", async () => {
    const text =
      "A: 1\r\nFrom : x@example.com\r\nB: two\r\n  lines\r\nno colon\r\nC:\r\nD: \u00e9t\u00e9\r\n\r\nbody";
    const parsed = await PostalMime.parse(text);
    const ours = readHeaders(text).map((h) => [h.key, h.value]);
    const theirs = parsed.headers.filter((h) => h.key !== "no colon").map((h) => [h.key, h.value]);
    expect(ours).toEqual(theirs);
  });

  it("reads 900 KB of headers, 10,000 fields and one 900 KB folded field", () => {
    const many = `${"X-Filler: abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n".repeat(10_000)}\r\n`;
    expect(many.length).toBeGreaterThan(700_000);
    expect(readHeaders(many)).toHaveLength(10_000);
    const folded = `Huge: start\r\n${" x".repeat(9).concat("\r\n").repeat(50_000)}End: 1\r\n\r\n`;
    expect(folded.length).toBeGreaterThan(900_000);
    const fields = readHeaders(folded);
    expect(fields.map((h) => h.key)).toEqual(["huge", "end"]);
    expect(fields[0]?.value.length).toBe("start".length + 18 * 50_000);
  });
});

describe("headerText", () => {
  it.each([
    ["CRLF", "A: 1\r\nB: 2\r\n\r\nbody", "A: 1\r\nB: 2\r\n"],
    ["LF", "A: 1\nB: 2\n\nbody", "A: 1\nB: 2\n"],
    ["CR-only line", "A: 1\r\n\r\r\nbody", "A: 1\r\n"],
    ["no blank line", "A: 1\r\nB: 2", "A: 1\r\nB: 2"],
    ["starts blank", "\r\nA: 1", ""],
  ])("stops at the first empty line (%s)", (_, raw, expected) => {
    expect(headerText(encode(raw))).toBe(expected);
  });

  it("decodes UTF-8 header bytes and survives bytes that are not UTF-8", () => {
    const bytes = new Uint8Array([
      ...encode("A: caf\u00e9\r\nB: "),
      0xff,
      0xfe,
      ...encode("\r\n\r\nx"),
    ]);
    expect(readHeaders(headerText(bytes))).toEqual([
      { name: "A", key: "a", value: "caf\u00e9" },
      { name: "B", key: "b", value: "\ufffd\ufffd" },
    ]);
  });
});
