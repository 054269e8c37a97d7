import { describe, expect, it } from "vitest";
import {
  base32,
  isBase32,
  isRandomToken,
  randomToken,
  type SignatureKind,
  sign,
  signAs,
  TOKEN_LENGTH,
  verifySignature,
} from "../../src/domain/signing";

const SECRET = "test-signing-secret-0123456789abcdef";
const LINK: SignatureKind = { purpose: "test-link:v1", length: 22 };

describe("verifySignature: only the exact signature", () => {
  it("accepts the signature signAs gives, and only for its message, purpose and secret", async () => {
    const sig = await signAs(SECRET, LINK, "abc:stop");
    expect(sig).toMatch(/^[a-z2-7]{22}$/);
    expect(await verifySignature(SECRET, LINK, "abc:stop", sig)).toBe(true);
    expect(await verifySignature(SECRET, LINK, "abc:done", sig)).toBe(false);
    expect(await verifySignature("another-secret", LINK, "abc:stop", sig)).toBe(false);
    expect(await verifySignature(SECRET, { ...LINK, purpose: "other:v1" }, "abc:stop", sig)).toBe(
      false,
    );
  });

  it.each([
    [
      "cut to 16 characters (the old check accepted any prefix of 16 or more)",
      (s: string) => s.slice(0, 16),
    ],
    ["cut by one character", (s: string) => s.slice(0, -1)],
    ["one character longer", (s: string) => `${s}a`],
    ["upper-cased", (s: string) => s.toUpperCase()],
    ["one letter upper-cased", (s: string) => s.replace(/[a-z]/, (c) => c.toUpperCase())],
    ["with a space around it", (s: string) => ` ${s}`],
    ["empty", () => ""],
    ["22 characters outside base32", () => "0189".repeat(5).concat("01")],
  ])("refuses the signature %s", async (_name, alter) => {
    const sig = await signAs(SECRET, LINK, "abc:stop");
    const altered = alter(sig);
    expect(altered).not.toBe(sig);
    expect(await verifySignature(SECRET, LINK, "abc:stop", altered)).toBe(false);
  });

  it("refuses a signature of another kind's length for the same message", async () => {
    const short: SignatureKind = { ...LINK, length: 16 };
    const sig16 = await signAs(SECRET, short, "abc:stop");
    expect(await verifySignature(SECRET, short, "abc:stop", sig16)).toBe(true);
    expect(await verifySignature(SECRET, LINK, "abc:stop", sig16)).toBe(false);
  });
});

describe("isBase32", () => {
  it.each([
    ["abcdefghijklmnopqrstuvwxyz234567", 32, true],
    ["abc", 4, false],
    ["ABC", 3, false],
    ["ab1", 3, false],
    ["ab8", 3, false],
    ["", 0, true],
    ["a b", 3, false],
  ])("%j at length %i -> %s", (text, length, want) => {
    expect(isBase32(text, length)).toBe(want);
  });
});

describe("random tokens (sign-in, confirmation, session ids)", () => {
  it("are 52 base32 characters that isRandomToken accepts", () => {
    for (let i = 0; i < 50; i++) {
      const token = randomToken();
      expect(token).toHaveLength(TOKEN_LENGTH);
      expect(TOKEN_LENGTH).toBe(52);
      expect(isRandomToken(token)).toBe(true);
    }
  });

  it.each([
    ["cut by one character", (t: string) => t.slice(0, -1)],
    ["one character longer", (t: string) => `${t}a`],
    ["upper-cased", (t: string) => t.toUpperCase()],
    ["a last character randomToken never gives", (t: string) => `${t.slice(0, -1)}b`],
    ["52 characters outside base32", () => "1".repeat(52)],
    ["a megabyte", () => "a".repeat(1_000_000)],
  ])("refuses a token %s", (_name, alter) => {
    expect(isRandomToken(alter(randomToken()))).toBe(false);
  });
});

describe("sign: HMAC-SHA256 through node:crypto", () => {
  /** What Web Crypto makes of the same key and `purpose:message`, in base32. */
  async function webCrypto(secret: string, text: string): Promise<Uint8Array> {
    const encoder = new TextEncoder();
    const key = await crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
  }

  it("agrees with Web Crypto on every message length around the block boundaries, and long keys", async () => {
    for (const secret of [SECRET, "k".repeat(131)]) {
      for (let length = 0; length <= 140; length++) {
        const message = "m".repeat(length);
        const expected = base32(await webCrypto(secret, `reply:${message}`)).slice(0, 52);
        expect(await sign(secret, "reply", message, 52), `length ${length}`).toBe(expected);
      }
    }
  });

  it("depends on the secret, the purpose and the message", async () => {
    const base = await sign(SECRET, "reply", "t1");
    expect(await sign(`${SECRET}x`, "reply", "t1")).not.toBe(base);
    expect(await sign(SECRET, "link", "t1")).not.toBe(base);
    expect(await sign(SECRET, "reply", "t2")).not.toBe(base);
    expect(base).toHaveLength(16);
  });
});
