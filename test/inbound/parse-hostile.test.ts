import { describe, expect, it } from "vitest";
import { isPlainAddress, messageIds, parseInbound } from "../../src/inbound/parse";
import {
  BACKTRACKING_VALUES,
  deepMime,
  hugeHeader,
  hugeSubject,
  manyRecipients,
  manyReferences,
} from "../helpers/hostile-mail";

// Issue 9: the hostile messages of the review parse to bounded results. Their timing is
// measured in Node (bench/hostile.node-bench.ts): a timing assertion here could not fail.
const bytes = (s: string) => new TextEncoder().encode(s);

describe("messageIds", () => {
  it("reads at most the first 100 of 60,000 References", () => {
    const refs = Array.from({ length: 60_000 }, (_, i) => `<r${i}@x.example>`).join(" ");
    const ids = messageIds(refs);
    expect(ids).toHaveLength(100);
    expect(ids[0]).toBe("r0@x.example");
    expect(ids[99]).toBe("r99@x.example");
  });

  it("still reads a bare id, and nothing from backtracking bait", () => {
    expect(messageIds(" a@b.example ")).toEqual(["a@b.example"]);
    expect(messageIds("a@b@c")).toEqual(["a@b@c"]);
    expect(messageIds(BACKTRACKING_VALUES.ats)).toEqual([]);
    expect(messageIds(BACKTRACKING_VALUES.brackets)).toEqual([]);
    expect(messageIds(BACKTRACKING_VALUES.dots)).toEqual([]);
    expect(messageIds(`<${"x".repeat(999)}@a.example>`)).toEqual([]);
  });
});

describe("isPlainAddress", () => {
  it("accepts ordinary addresses and refuses over-long or backtracking ones", () => {
    expect(isPlainAddress("jane.doe@mail.example.org")).toBe(true);
    expect(isPlainAddress(`${"a".repeat(64)}@${"b".repeat(185)}.org`)).toBe(true); // 254
    expect(isPlainAddress(`${"a".repeat(64)}@${"b".repeat(186)}.org`)).toBe(false); // 255
    expect(isPlainAddress(BACKTRACKING_VALUES.dots)).toBe(false);
    expect(isPlainAddress("a@b")).toBe(false);
  });
});

describe("parseInbound on hostile messages", () => {
  it("keeps 20,000 recipients as mailboxes (callers cap what they store)", async () => {
    const parsed = await parseInbound(bytes(manyRecipients(20_000)));
    expect(parsed.ok && parsed.value.to.length).toBe(20_000);
  });

  it("keeps 100 of 60,000 References", async () => {
    const parsed = await parseInbound(bytes(manyReferences(60_000)));
    expect(parsed.ok && parsed.value.references.length).toBe(100);
    expect(parsed.ok && parsed.value.inReplyTo).toEqual(["r59999@mail.example.com"]);
  });

  it("parses a 900 KB header and a 900 KB subject", async () => {
    const padded = await parseInbound(bytes(hugeHeader()));
    expect(padded.ok && padded.value.from.address).toBe("owner@example.com");
    const subject = await parseInbound(bytes(hugeSubject()));
    expect(subject.ok && subject.value.subject?.length).toBeGreaterThan(800_000);
  });

  it("does not follow MIME 2,000 levels deep", async () => {
    const parsed = await parseInbound(bytes(deepMime(2_000)));
    // postal-mime stops at maxNestingDepth (64): the message either fails to parse or
    // yields no text from below that depth.
    if (parsed.ok) expect(parsed.value.text ?? "").not.toContain("Hi Jane");
    else expect(parsed.error.kind).toBe("unparseable");
  });
});
