import { describe, expect, it } from "vitest";
import { routeRecipient } from "../../src/domain/address";
import { replyAddress, verifyReplyAddress } from "../../src/domain/reply-address";
import { base32, timingSafeEqual } from "../../src/domain/signing";

const D = "sprout.test";

describe("routeRecipient", () => {
  it.each([
    ["help@sprout.test", { kind: "help" }],
    ["HELP@Sprout.Test", { kind: "help" }],
    ["me+list@sprout.test", { kind: "list" }],
    ["log-in@sprout.test", { kind: "login" }],
    ["follow@sprout.test", { kind: "follow", local: "follow" }],
    ["f@sprout.test", { kind: "follow", local: "f" }],
    ["a+b+F@sprout.test", { kind: "follow", local: "f" }],
    ["every3months@sprout.test", { kind: "every", local: "every3months", rest: "3months" }],
    [
      "every-monday-9am@sprout.test",
      { kind: "every", local: "every-monday-9am", rest: "monday-9am" },
    ],
    ["3d@sprout.test", { kind: "time", local: "3d" }],
    ["Tomorrow.9AM@sprout.test", { kind: "time", local: "tomorrow.9am" }],
    ["next-monday@sprout.test", { kind: "time", local: "next-monday" }],
    ["aug15_2pm@sprout.test", { kind: "time", local: "aug15_2pm" }],
    ["3dayz@sprout.test", { kind: "time", local: "3dayz" }],
    ["wensday@sprout.test", { kind: "time", local: "wensday" }],
    ["midnight@sprout.test", { kind: "time", local: "midnight" }],
    ["bob@sprout.test", { kind: "unknown", local: "bob" }],
    // Words that only start like a time are unknown addresses, not times (issue 10).
    ["marketing@sprout.test", { kind: "unknown", local: "marketing" }],
    ["monitor@sprout.test", { kind: "unknown", local: "monitor" }],
    ["satisfaction@sprout.test", { kind: "unknown", local: "satisfaction" }],
    ["Sales+sunshine@sprout.test", { kind: "unknown", local: "sunshine" }],
    ["every@sprout.test", { kind: "unknown", local: "every" }],
    ["3d@elsewhere.example", { kind: "foreign-domain", domain: "elsewhere.example" }],
    ["not-an-address", { kind: "unknown", local: "not-an-address" }],
  ])("%s", (address, route) => {
    expect(routeRecipient(address, D)).toEqual(route);
  });

  it("recognises reply addresses in any case and with sub-addressing", () => {
    const local = "re-abcdefghij-abcdefghijklmnop";
    const expected = {
      kind: "reply",
      local,
      threadId: "abcdefghij",
      signature: "abcdefghijklmnop",
    };
    expect(routeRecipient(`${local}@${D}`, D)).toEqual(expected);
    expect(routeRecipient(`${local.toUpperCase()}@${D.toUpperCase()}`, D)).toEqual(expected);
    expect(routeRecipient(`me+${local}@${D}`, D)).toEqual(expected);
  });

  it("keeps at most 200 characters of a hostile local part", () => {
    const route = routeRecipient(`${"9am-".repeat(250_000)}@${D}`, D);
    expect(route).toEqual({ kind: "time", local: "9am-".repeat(50) });
    const unknown = routeRecipient(`${"x".repeat(900_000)}@${D}`, D);
    expect(unknown).toEqual({ kind: "unknown", local: "x".repeat(200) });
  });
});

describe("signed reply addresses", () => {
  const secret = "a-secret-for-tests";

  it("verifies its own signature, also upper-cased, and nothing altered or foreign", async () => {
    const address = await replyAddress(secret, "abcdefghij", D);
    const match = /^re-([a-z2-7]{10})-([a-z2-7]{16})@sprout\.test$/.exec(address);
    expect(match).not.toBeNull();
    const signature = match?.[2] ?? "";
    expect(await verifyReplyAddress(secret, "abcdefghij", signature)).toBe(true);
    expect(await verifyReplyAddress(secret, "ABCDEFGHIJ", signature.toUpperCase())).toBe(true);
    expect(await verifyReplyAddress(secret, "abcdefghik", signature)).toBe(false);
    const flipped = (signature[0] === "a" ? "b" : "a") + signature.slice(1);
    expect(await verifyReplyAddress(secret, "abcdefghij", flipped)).toBe(false);
    expect(await verifyReplyAddress("another-secret", "abcdefghij", signature)).toBe(false);
    expect(await verifyReplyAddress(secret, "abcdefghij", signature.slice(0, 8))).toBe(false);
    expect(await verifyReplyAddress(secret, "abcdefghij", "")).toBe(false);
  });

  it("is stable for the same thread and secret", async () => {
    expect(await replyAddress(secret, "qrstuvwxyz", D)).toBe(
      await replyAddress(secret, "qrstuvwxyz", D),
    );
  });
});

describe("encoding helpers", () => {
  it.each([
    [[], ""],
    [[0], "aa"],
    [[255], "74"],
    [[102, 111, 111, 98, 97, 114], "mzxw6ytboi"],
  ])("base32 %j", (bytes, out) => {
    expect(base32(new Uint8Array(bytes))).toBe(out);
  });

  it("compares strings without shortcuts", () => {
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abc", "abd")).toBe(false);
    expect(timingSafeEqual("abc", "abcd")).toBe(false);
  });
});
