import { describe, expect, it } from "vitest";
import { baseSubject, forwardedSender, isForward } from "../../src/domain/forwarded";

const lines = (...l: string[]) => l.join("\r\n");

describe("isForward", () => {
  it.each([
    ["Fwd: Coffee", "", true],
    ["FW: Coffee", "", true],
    ["WG: Kaffee", "", true],
    ["TR: Café", "", true],
    [
      "Re: Coffee",
      lines("See below", "", "---------- Forwarded message ---------", "From: a@b.c"),
      true,
    ],
    ["Re: Coffee", lines("Hi", "Begin forwarded message:", "From: a@b.c"), true],
    ["Re: Kaffee", lines("---------- Weitergeleitete Nachricht ---------", "Von: a@b.c"), true],
    // Outlook replies quote the original under these lines: a reply, not a forward.
    ["RE: Coffee", lines("Bump", "-----Original Message-----", "From: a@b.c"), false],
    ["RE: Coffee", lines("Bump", "________________________________", "From: a@b.c"), false],
    ["Coffee", "Nothing forwarded here, just the words forwarded message in a sentence.", false],
    [null, "", false],
  ])("%j with its body: %s", (subject, text, expected) => {
    expect(isForward(subject, text)).toBe(expected);
  });
});

describe("forwardedSender", () => {
  it.each([
    [
      "Gmail",
      lines(
        "FYI",
        "",
        "---------- Forwarded message ---------",
        "From: Jane Doe <Jane@Example.org>",
      ),
      "jane@example.org",
    ],
    [
      "Outlook",
      lines("FYI", "-----Original Message-----", "From: jane@example.org", "Sent: Monday"),
      "jane@example.org",
    ],
    [
      "German",
      lines("---------- Weitergeleitete Nachricht ---------", "Von: jane@example.org"),
      "jane@example.org",
    ],
    [
      "Spanish",
      lines("-----Mensaje original-----", "De: Jane <jane@example.org>"),
      "jane@example.org",
    ],
    [
      "bold Outlook web",
      lines("________________________________", "*From:* jane@example.org"),
      "jane@example.org",
    ],
    [
      "no marker: the first From line",
      lines("From: Jane <jane@example.org>", "hi"),
      "jane@example.org",
    ],
    ["a From line with no address", lines("-----Original Message-----", "From: Jane Doe"), null],
    [
      "trailing punctuation",
      lines("Begin forwarded message:", "From: jane@example.org."),
      "jane@example.org",
    ],
    ["no From line", lines("Begin forwarded message:", "Hello"), null],
  ])("%s", (_name, text, expected) => {
    expect(forwardedSender(text)).toBe(expected);
  });

  it("reads the From line of the first forwarded block, not a forged one further down", () => {
    const text = lines(
      "---------- Forwarded message ---------",
      "From: jane@example.org",
      "",
      "---------- Forwarded message ---------",
      "From: mallory@example.net",
    );
    expect(forwardedSender(text)).toBe("jane@example.org");
  });

  it("ignores a From line longer than any real header (a 150 KB line)", () => {
    const text = lines("Begin forwarded message:", `From: ${"x".repeat(150_000)}@example.org`);
    expect(forwardedSender(text)).toBeNull();
  });

  it("looks only at the header block under the marker, not the whole body", () => {
    const text = lines(
      "Begin forwarded message:",
      ...Array(60).fill("text"),
      "From: late@example.org",
    );
    expect(forwardedSender(text)).toBeNull();
  });
});

describe("baseSubject", () => {
  it.each([
    ["Re: Fwd: Coffee next week?", "coffee next week?"],
    ["AW: WG: Kaffee", "kaffee"],
    ["RE[2]: Coffee", "coffee"],
    ["Coffee", "coffee"],
  ])("%j", (subject, expected) => {
    expect(baseSubject(subject)).toBe(expected);
  });
});

describe("hostile bodies (issue 9)", () => {
  const marker = "---------- Forwarded message ---------\nFrom: Jane <jane@example.org>\n";

  it("reads only the first 64 KB: a marker below it is not looked for", () => {
    expect(isForward(null, `${"x\n".repeat(30_000)}${marker}`)).toBe(true);
    expect(forwardedSender(`${"x\n".repeat(30_000)}${marker}`)).toBe("jane@example.org");
    expect(isForward(null, `${"x\n".repeat(33_000)}${marker}`)).toBe(false);
    expect(forwardedSender(`${"x\n".repeat(33_000)}${marker}`)).toBeNull();
  });

  it.each([
    ["a megabyte of lone CRs", "a\r".repeat(500_000)],
    ["a megabyte of empty lines", "\n".repeat(1_000_000)],
    ["a megabyte of forward markers", "---------- Forwarded message ---------\n".repeat(25_000)],
  ])("gives a bounded answer on %s", (_name, text) => {
    expect(typeof isForward(null, text)).toBe("boolean");
    expect(forwardedSender(text)).toBeNull();
  });
});
