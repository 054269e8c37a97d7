import { describe, expect, it } from "vitest";
import { parseCommand, resolveSnooze } from "../../src/domain/commands";

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
  ])("refuses %j", (when, kind) => {
    const at = resolveSnooze(when, NOW, NY);
    expect(at.ok ? "ok" : at.error.kind).toBe(kind);
  });
});
