import { describe, expect, it } from "vitest";
import {
  isPlainAddress,
  MAX_HEADER_BYTES,
  messageIds,
  parseInbound,
} from "../../src/inbound/parse";
import {
  BACKTRACKING_VALUES,
  deepMime,
  hugeHeader,
  hugePartHeader,
  hugeSubject,
  manyRecipients,
  manyReferences,
} from "../helpers/hostile-mail";

// Issue 9: the hostile messages of the review parse to bounded results. Their timing is
// measured in Node (bench/node/hostile.node-bench.ts): a timing assertion here could not fail.
const bytes = (s: string) => new TextEncoder().encode(s);

describe("messageIds", () => {
  it("keeps 100 of 60,000 References: the root and the newest 99", () => {
    const refs = Array.from({ length: 60_000 }, (_, i) => `<r${i}@x.example>`).join(" ");
    const ids = messageIds(refs);
    expect(ids).toHaveLength(100);
    expect(ids[0]).toBe("r0@x.example");
    expect(ids[1]).toBe("r59901@x.example");
    expect(ids[99]).toBe("r59999@x.example");
  });

  it("keeps every id of a References header up to 100, in order", () => {
    for (const n of [1, 99, 100, 101, 199, 200, 201]) {
      const all = Array.from({ length: n }, (_, i) => `r${i}@x.example`);
      const ids = messageIds(all.map((id) => `<${id}>`).join("\r\n "));
      expect(ids, `${n}`).toEqual(n <= 100 ? all : [all[0], ...all.slice(n - 99)]);
    }
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
  it("refuses a header section over 64 KB before postal-mime reads it", async () => {
    for (const raw of [
      manyRecipients(20_000),
      manyReferences(60_000),
      hugeHeader(),
      hugeSubject(),
    ]) {
      const parsed = await parseInbound(bytes(raw));
      expect(parsed).toEqual({
        ok: false,
        error: { kind: "unparseable", detail: `headers larger than ${MAX_HEADER_BYTES} bytes` },
      });
    }
  });

  it("reads headers up to 64 KB, to the byte", async () => {
    const padded = (size: number) => {
      const head = hugeHeader(0).split("\r\n\r\n")[0] ?? "";
      // The header section, its last line break included, is `size` bytes.
      const filler = `X-Fill: ${"x".repeat(size - head.length - 12)}`;
      return `${head}\r\n${filler}\r\n\r\nHi Jane,\r\n`;
    };
    const fits = bytes(padded(MAX_HEADER_BYTES));
    expect(fits.indexOf(0x0a, MAX_HEADER_BYTES - 2)).toBe(MAX_HEADER_BYTES - 1);
    expect((await parseInbound(fits)).ok).toBe(true);
    const over = await parseInbound(bytes(padded(MAX_HEADER_BYTES + 1)));
    expect(over.ok ? "ok" : over.error.kind).toBe("unparseable");
  });

  it("keeps 1,500 recipients as mailboxes (callers cap what they store)", async () => {
    const parsed = await parseInbound(bytes(manyRecipients(1_500)));
    expect(parsed.ok && parsed.value.to.length).toBe(1_500);
  });

  it("keeps 100 of 1,500 References", async () => {
    const parsed = await parseInbound(bytes(manyReferences(1_500)));
    expect(parsed.ok && parsed.value.references.length).toBe(100);
    expect(parsed.ok && parsed.value.inReplyTo).toEqual(["r1499@mail.example.com"]);
  });

  it("does not follow MIME 2,000 levels deep", async () => {
    const parsed = await parseInbound(bytes(deepMime(2_000)));
    // postal-mime stops at maxNestingDepth (64): the message either fails to parse or
    // yields no text from below that depth.
    if (parsed.ok) expect(parsed.value.text ?? "").not.toContain("Hi Jane");
    else expect(parsed.error.kind).toBe("unparseable");
  });

  it("reads a 900 KB header inside a MIME part without failing", async () => {
    const parsed = await parseInbound(bytes(hugePartHeader()));
    expect(parsed.ok && parsed.value.text).toContain("Hi Jane");
  });
});
