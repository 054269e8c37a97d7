import { describe, expect, it } from "vitest";
import { hmacKey, hmacSha256 } from "../../src/domain/hmac-sha256";

const bytes = (hex: string) =>
  new Uint8Array(hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const text = (s: string) => new TextEncoder().encode(s);

describe("hmacSha256", () => {
  // RFC 4231 test cases 1, 2, 4, 6 and 7 (6 and 7: keys longer than a block).
  it.each([
    [
      "0b".repeat(20),
      hex(text("Hi There")),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ],
    [
      hex(text("Jefe")),
      hex(text("what do ya want for nothing?")),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ],
    [
      "0102030405060708090a0b0c0d0e0f10111213141516171819",
      "cd".repeat(50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
    ],
    [
      "aa".repeat(131),
      hex(text("Test Using Larger Than Block-Size Key - Hash Key First")),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ],
    [
      "aa".repeat(131),
      hex(
        text(
          "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
        ),
      ),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ],
  ])("RFC 4231: key %s", (key, data, mac) => {
    expect(hex(hmacSha256(hmacKey(bytes(key)), bytes(data)))).toBe(mac);
  });

  it("agrees with Web Crypto on every message length around the block boundaries", async () => {
    const secret = text("test-signing-secret-0123456789abcdef");
    const key = hmacKey(secret);
    const webKey = await crypto.subtle.importKey(
      "raw",
      secret,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    for (let length = 0; length <= 200; length++) {
      const message = crypto.getRandomValues(new Uint8Array(length));
      const expected = new Uint8Array(await crypto.subtle.sign("HMAC", webKey, message));
      expect(hex(hmacSha256(key, message)), `length ${length}`).toBe(hex(expected));
    }
  });
});
