import { describe, expect, it } from "vitest";
import {
  describeFromProblem,
  type FromProblem,
  MAX_FROM_LENGTH,
  singleFromMailbox,
} from "../../src/domain/from-mailbox";
import { readHeaders } from "../../src/domain/raw-headers";
import dkimOnly from "../fixtures/auth/dkim-only.eml?raw";
import gmail from "../fixtures/auth/gmail.eml?raw";
import outlook from "../fixtures/auth/outlook.eml?raw";

const from = (value: string) =>
  singleFromMailbox(readHeaders(`From: ${value}\r\nTo: x@y.example\r\n\r\n`));

describe("singleFromMailbox: one mailbox", () => {
  it.each([
    ["bare addr-spec", "jane@example.com", "jane@example.com"],
    ["angle-addr without display name", "<jane@example.com>", "jane@example.com"],
    ["display name", "Jane Doe <Jane@Example.COM>", "jane@example.com"],
    ["quoted display name with a comma", '"Doe, Jane" <jane@example.com>', "jane@example.com"],
    ["quoted display name with an @", '"jane@evil.example" <jane@example.com>', "jane@example.com"],
    [
      "quoted name with escaped quote",
      '"Jane \\"JD\\" Doe" <jane@example.com>',
      "jane@example.com",
    ],
    [
      "encoded word hiding a comma",
      "=?UTF-8?B?RG9lLCBKYW5l?= <jane@example.com>",
      "jane@example.com",
    ],
    [
      "encoded word hiding an @",
      "=?UTF-8?Q?jane=40evil=2Eexample?= <jane@example.com>",
      "jane@example.com",
    ],
    ["comment with a comma", "jane@example.com (Jane, Doe)", "jane@example.com"],
    ["nested comment", "Jane (the (real) one, really) <jane@example.com>", "jane@example.com"],
    ["comment with an address", "(bob@evil.example) jane@example.com", "jane@example.com"],
    ["unquoted @ in the display name", "jane@example.com <jane@example.com>", "jane@example.com"],
    ["trailing empty member", "Jane <jane@example.com>, ", "jane@example.com"],
    ["quoted local part", '"jane doe"@example.com', '"jane doe"@example.com'],
    ["dotted local part", "jane.q.doe@mail.example.co.uk", "jane.q.doe@mail.example.co.uk"],
    ["display name with dots", "J. R. Doe <jrd@example.com>", "jrd@example.com"],
    ["internationalized domain", "Zoë <zoe@bücher.example>", "zoe@bücher.example"],
  ])("%s", (_, value, address) => {
    const result = from(value);
    expect(result).toMatchObject({ ok: true, value: { address } });
  });

  it("splits the address into lower-cased local part and domain", () => {
    expect(from("Jane <Jane.Doe@Example.COM>")).toEqual({
      ok: true,
      value: { address: "jane.doe@example.com", local: "jane.doe", domain: "example.com" },
    });
  });

  it.each([
    ["gmail.eml", gmail, "jane.doe.1987@gmail.com"],
    ["outlook.eml", outlook, "jane.doe@outlook.com"],
    ["dkim-only.eml", dkimOnly, "hiring@mail.northwind.example"],
  ])("reads the From of %s", (_, raw, address) => {
    expect(singleFromMailbox(readHeaders(raw))).toMatchObject({ ok: true, value: { address } });
  });

  it("reads a folded From header", () => {
    const headers = readHeaders('From: "Doe,\r\n Jane"\r\n <jane@example.com>\r\n\r\n');
    expect(singleFromMailbox(headers)).toMatchObject({
      ok: true,
      value: { address: "jane@example.com" },
    });
  });
});

describe("singleFromMailbox: anything but one mailbox (hostile twins)", () => {
  it.each<[string, string, FromProblem]>([
    ["two addresses", "a@example.com, b@example.com", { kind: "several-mailboxes", count: 2 }],
    [
      "two name-addrs",
      "Jane <jane@example.com>, Mallory <m@evil.example>",
      { kind: "several-mailboxes", count: 2 },
    ],
    [
      "an unquoted comma in the display name",
      "Doe, Jane <jane@example.com>",
      { kind: "several-mailboxes", count: 2 },
    ],
    [
      "a raw comma inside an encoded word",
      "=?UTF-8?Q?a,b?= <jane@example.com>",
      { kind: "several-mailboxes", count: 2 },
    ],
    ["empty group", "undisclosed-recipients:;", { kind: "group" }],
    ["group with members", "team: a@example.com, b@example.com;", { kind: "group" }],
    ["group with one member", "team: jane@example.com;", { kind: "group" }],
    ["empty", "", { kind: "empty" }],
    ["only commas", " , ,", { kind: "empty" }],
    ["only a comment", "(nobody)", { kind: "empty" }],
    ["no @", "Jane Doe", { kind: "unreadable", detail: "no @ in the address" }],
    [
      "two @",
      "jane@evil.example@example.com",
      { kind: "unreadable", detail: "more than one @ in the address" },
    ],
    [
      "unclosed quote",
      '"Doe, Jane <jane@example.com>',
      { kind: "unreadable", detail: "a quoted string is not closed" },
    ],
    [
      "unclosed comment",
      "jane@example.com (Jane",
      { kind: "unreadable", detail: "a comment is not closed" },
    ],
    [
      "unclosed angle",
      "Jane <jane@example.com",
      { kind: "unreadable", detail: "an angle address is not closed" },
    ],
    ["stray >", "jane@example.com>", { kind: "unreadable", detail: "a stray >" }],
    [
      "nested angle",
      "<<jane@example.com>>",
      { kind: "unreadable", detail: "an angle bracket inside an angle address" },
    ],
    [
      "text after the angle address",
      "<jane@example.com> bob@evil.example",
      { kind: "unreadable", detail: "text after the angle address" },
    ],
    [
      "domain literal",
      "jane@[192.0.2.1]",
      { kind: "unreadable", detail: "the part after @ is not a domain name" },
    ],
    [
      "empty domain",
      "jane@",
      { kind: "unreadable", detail: "the part after @ is not a domain name" },
    ],
    [
      "empty local part",
      "@example.com",
      { kind: "unreadable", detail: "the part before @ is not a local part" },
    ],
    [
      "dot at the start",
      ".jane@example.com",
      { kind: "unreadable", detail: "the part before @ is not a local part" },
    ],
    [
      "double dot in the domain",
      "jane@example..com",
      { kind: "unreadable", detail: "the part after @ is not a domain name" },
    ],
    [
      "obsolete route",
      "<@relay.example:jane@example.com>",
      { kind: "unreadable", detail: "more than one @ in the address" },
    ],
  ])("%s", (_, value, problem) => {
    expect(from(value)).toEqual({ ok: false, error: problem });
  });

  it("refuses two From headers, even when both hold the same mailbox", () => {
    const headers = readHeaders(
      "From: jane@example.com\r\nTo: x@y.example\r\nfrom: jane@example.com\r\n\r\n",
    );
    expect(singleFromMailbox(headers)).toEqual({
      ok: false,
      error: { kind: "several-from-headers", count: 2 },
    });
  });

  it("counts a From written with space before the colon as a From header", () => {
    const headers = readHeaders("From: jane@example.com\r\nFROM : m@evil.example\r\n\r\n");
    expect(singleFromMailbox(headers)).toMatchObject({
      ok: false,
      error: { kind: "several-from-headers" },
    });
  });

  it("refuses a message without From", () => {
    expect(singleFromMailbox(readHeaders("To: x@y.example\r\n\r\n"))).toEqual({
      ok: false,
      error: { kind: "no-from" },
    });
  });

  it("does not count a From line in the body", () => {
    const headers = readHeaders("From: jane@example.com\r\n\r\nFrom: m@evil.example\r\n");
    expect(singleFromMailbox(headers)).toMatchObject({ ok: true });
  });

  it("refuses an oversized From field without reading it", () => {
    const value = `${"a".repeat(MAX_FROM_LENGTH)} <jane@example.com>`;
    expect(from(value)).toEqual({
      ok: false,
      error: { kind: "unreadable", detail: `longer than ${MAX_FROM_LENGTH} characters` },
    });
  });

  it("reads a From of 1,999 characters of commas and comments", () => {
    const value = `${"(a,b) ".repeat(330)}<jane@example.com>`;
    expect(value.length).toBeLessThanOrEqual(MAX_FROM_LENGTH);
    expect(from(value)).toMatchObject({ ok: true, value: { address: "jane@example.com" } });
  });
});

describe("describeFromProblem", () => {
  it.each<[FromProblem, string]>([
    [{ kind: "no-from" }, "the message has no From header"],
    [
      { kind: "several-from-headers", count: 2 },
      "the message has 2 From headers; Sprout needs exactly one",
    ],
    [{ kind: "empty" }, "the From header names no address"],
    [
      { kind: "group" },
      "the From header holds a group of addresses; Sprout needs exactly one address",
    ],
    [
      { kind: "several-mailboxes", count: 3 },
      "the From header holds 3 addresses; Sprout needs exactly one",
    ],
    [{ kind: "unreadable", detail: "a stray >" }, "the From header could not be read (a stray >)"],
  ])("%j", (problem, sentence) => {
    expect(describeFromProblem(problem)).toBe(sentence);
  });
});
