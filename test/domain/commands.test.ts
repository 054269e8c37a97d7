import { describe, expect, it } from "vitest";
import { parseCommand, resolveSnooze } from "../../src/domain/commands";
import { MAX_PARSED } from "../../src/domain/untrusted";

// The reproductions of issue 9: each took seconds before every parser read at most 200
// characters. Timing is measured in Node (bench/node/hostile.node-bench.ts); here, the results.
const HOSTILE: [string, string][] = [
  ["aug 15 x 100,000", "aug 15 ".repeat(100_000)],
  ["next tuesday x 50,000", "next tuesday ".repeat(50_000)],
  ["9:30 x 100,000", "9:30 ".repeat(100_000)],
  ["900 KB of letters", "a".repeat(900_000)],
  ["a time, then 900 KB", `3d ${"x".repeat(900_000)}`],
];

describe("parseCommand", () => {
  it.each([
    ["done", { kind: "done" }],
    ["Done.", { kind: "done" }],
    ["DONE!", { kind: "done" }],
    ["followed up", { kind: "done" }],
    ["Followed-up", { kind: "done" }],
    ["sent", { kind: "done" }],
    ["replied", { kind: "replied" }],
    ["They replied", { kind: "replied" }],
    ["responded", { kind: "replied" }],
    ["call", { kind: "call" }],
    ["Met", { kind: "call" }],
    ["meeting", { kind: "call" }],
    ["stop", { kind: "stop" }],
    ["Cancel", { kind: "stop" }],
    ["unsubscribe", { kind: "stop" }],
    ["help", { kind: "help" }],
    ["?", { kind: "help" }],
    ["snooze 1w", { kind: "snooze", when: "1w" }],
    ["Snooze 2 days", { kind: "snooze", when: "2 days" }],
    ["snooze until next tuesday", { kind: "snooze", when: "next tuesday" }],
    ["snooze", { kind: "snooze", when: "" }],
    ["remind me in 2 weeks", { kind: "snooze", when: "2 weeks" }],
    ["3d", { kind: "snooze", when: "3d" }],
    ["next tuesday", { kind: "snooze", when: "next tuesday" }],
    ["tomorrow 9am", { kind: "snooze", when: "tomorrow 9am" }],
    ["aug 15", { kind: "snooze", when: "aug 15" }],
    ["in 2 weeks", { kind: "snooze", when: "in 2 weeks" }],
    ["feb 30", { kind: "snooze", when: "feb 30" }],
    ["-2d", { kind: "snooze", when: "-2d" }],
    [
      "I am out of the office until Monday",
      { kind: "unknown", line: "I am out of the office until Monday" },
    ],
    ["thanks!", { kind: "unknown", line: "thanks!" }],
    ["", { kind: "unknown", line: "" }],
    ["done with this, thanks", { kind: "unknown", line: "done with this, thanks" }],
  ])("%j", (line, command) => {
    expect(parseCommand(line)).toEqual(command);
  });

  it.each(HOSTILE)("reads only 200 characters of %s", (_name, line) => {
    const command = parseCommand(line);
    expect(command.kind).toBe("unknown");
    if (command.kind === "unknown") expect(command.line).toBe(line.slice(0, MAX_PARSED));
  });

  it("reads a snooze within the first 200 characters, quoting at most 200", () => {
    const command = parseCommand(`snooze ${"aug 15 ".repeat(100_000)}`);
    expect(command.kind).toBe("snooze");
    if (command.kind === "snooze") expect(command.when.length).toBeLessThanOrEqual(MAX_PARSED);
  });
});

// Tuesday 3 March 2026, 10:00 in New York (15:00 UTC).
const NOW = new Date("2026-03-03T15:00:00Z");
const NY = { timeZone: "America/New_York", reminderMinutes: 480, skipWeekends: true };

describe("resolveSnooze", () => {
  it.each([
    ["3d", "2026-03-06T13:00:00.000Z"],
    ["1w", "2026-03-10T12:00:00.000Z"], // EDT from 8 March: 08:00 is 12:00 UTC
    ["2 days", "2026-03-05T13:00:00.000Z"],
    ["tomorrow 9am", "2026-03-04T14:00:00.000Z"],
    ["next tuesday", "2026-03-10T12:00:00.000Z"],
    ["aug 15", "2026-08-15T12:00:00.000Z"],
    ["in 2 weeks", "2026-03-17T12:00:00.000Z"],
    ["next friday at 3pm", "2026-03-06T20:00:00.000Z"], // "next friday" = the coming Friday, as in addresses
    ["2 hours", "2026-03-03T17:00:00.000Z"],
    ["March 20", "2026-03-20T12:00:00.000Z"],
  ])("%s", (when, iso) => {
    const at = resolveSnooze(when, NOW, NY);
    expect(at.ok && at.value.toISOString()).toBe(iso);
  });

  it.each([
    ["9999 years", "too-far"],
    ["10 years", "too-far"],
    ["-2d", "in-the-past"],
    ["2 days ago", "in-the-past"],
    ["feb 30", "impossible-date"],
    ["0d", "zero-amount"],
    ["", "missing"],
    ["whenever you like", "unrecognized"],
    ["yesterday", "in-the-past"],
    ["mar 3", "today-passed"], // 10:00 on 3 March: today's 08:00 has passed
  ])("refuses %j", (when, kind) => {
    const at = resolveSnooze(when, NOW, NY);
    expect(at.ok ? "ok" : at.error.kind).toBe(kind);
  });

  it.each(HOSTILE)("refuses %s, quoting at most 200 characters", (_name, when) => {
    const at = resolveSnooze(when, NOW, NY);
    expect(at.ok).toBe(false);
    if (!at.ok) expect(at.error.input).toBe(when.slice(0, MAX_PARSED));
  });
});

// Snoozes chrono understands follow the grammar's weekend rule: days it computed move to
// Monday (keeping their time of day), days the user named and exact offsets never move.
describe("resolveSnooze off weekends", () => {
  // Saturday 7 March 2026, 10:00 in New York (15:00 UTC) and in Berlin (09:00 UTC).
  const SAT_NY = new Date("2026-03-07T15:00:00Z");
  const SAT_BER = new Date("2026-03-07T09:00:00Z");
  const BER = { timeZone: "Europe/Berlin", reminderMinutes: 480, skipWeekends: true };
  const rows: [string, Date, typeof NY, string][] = [
    // Sat 28 March -> Mon 30 March (EDT from 8 March, CEST from 29 March).
    ["in 3 weeks", SAT_NY, NY, "2026-03-30T12:00:00.000Z"],
    ["in 3 weeks", SAT_NY, { ...NY, skipWeekends: false }, "2026-03-28T12:00:00.000Z"],
    ["3 weeks from now", SAT_NY, NY, "2026-03-30T12:00:00.000Z"],
    ["in 3 weeks at 9am", SAT_NY, NY, "2026-03-30T13:00:00.000Z"],
    ["in two weeks", SAT_NY, NY, "2026-03-23T12:00:00.000Z"],
    ["in 8 days", SAT_NY, NY, "2026-03-16T12:00:00.000Z"], // Sun 15 -> Mon 16
    ["in 3 weeks", SAT_BER, BER, "2026-03-30T06:00:00.000Z"],
    ["in 3 weeks", SAT_BER, { ...BER, skipWeekends: false }, "2026-03-28T07:00:00.000Z"],
    // Named days stay where the user put them.
    ["this saturday", NOW, NY, "2026-03-07T13:00:00.000Z"],
    ["next sunday at 5pm", NOW, NY, "2026-03-08T21:00:00.000Z"],
    ["march 21st", NOW, NY, "2026-03-21T12:00:00.000Z"],
    ["3/21", NOW, NY, "2026-03-21T12:00:00.000Z"],
    // Exact offsets are not days: never moved.
    ["in 3 hours", SAT_NY, NY, "2026-03-07T18:00:00.000Z"],
    ["in 90 minutes", SAT_BER, BER, "2026-03-07T10:30:00.000Z"],
  ];
  it.each(rows)("%s at %s", (when, now, prefs, iso) => {
    const at = resolveSnooze(when, now, prefs);
    expect(at.ok ? at.value.toISOString() : at.error).toBe(iso);
  });
});
