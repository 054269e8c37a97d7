import { describe, expect, it } from "vitest";
import { remindersToMove } from "../../src/settings/reschedule";
import { parseSettingsForm } from "../../src/settings/settings-form";
import { csvCell, toCsv } from "../../src/web/csv";

const utc8 = { timeZone: "UTC", reminderMinutes: 480 };

describe("remindersToMove", () => {
  it.each([
    [
      "the default time moves to the new time",
      Date.UTC(2031, 0, 6, 8, 0),
      { timeZone: "UTC", reminderMinutes: 540 },
      Date.UTC(2031, 0, 6, 9, 0),
    ],
    [
      "a named time stays",
      Date.UTC(2031, 0, 6, 9, 0),
      { timeZone: "UTC", reminderMinutes: 540 },
      null,
    ],
    [
      "an exact offset (seconds) stays",
      Date.UTC(2031, 0, 6, 8, 0, 5),
      { timeZone: "UTC", reminderMinutes: 540 },
      null,
    ],
    [
      "a zone change keeps the local date and time",
      Date.UTC(2031, 0, 6, 8, 0),
      { timeZone: "Asia/Tokyo", reminderMinutes: 480 },
      Date.UTC(2031, 0, 5, 23, 0),
    ],
    // 30 Mar 2031 is the day after Berlin springs forward: 08:00 CEST is 06:00 UTC.
    [
      "daylight saving time is honoured",
      Date.UTC(2031, 2, 31, 8, 0),
      { timeZone: "Europe/Berlin", reminderMinutes: 480 },
      Date.UTC(2031, 2, 31, 6, 0),
    ],
  ])("%s", (_name, dueAt, after, expected) => {
    const moves = remindersToMove([{ id: "a", dueAt }], utc8, after);
    expect(moves).toEqual(expected === null ? [] : [{ id: "a", from: dueAt, to: expected }]);
  });

  it("moves nothing when neither zone nor time changed", () => {
    expect(remindersToMove([{ id: "a", dueAt: Date.UTC(2031, 0, 6, 8, 0) }], utc8, utc8)).toEqual(
      [],
    );
  });
});

describe("parseSettingsForm", () => {
  it("reads unticked checkboxes as false and normalises the cadence", () => {
    const parsed = parseSettingsForm({
      timeZone: "UTC",
      reminderTime: "18:45",
      cadence: " 3 BD ;1w",
      digestDay: "0",
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        timeZone: "UTC",
        reminderMinutes: 1125,
        skipWeekends: false,
        cadence: "3bd,1w",
        oneReminderOnly: false,
        confirmations: false,
        digestEnabled: false,
        digestDay: 0,
        paused: false,
      },
    });
  });

  it("names every invalid field at once", () => {
    const parsed = parseSettingsForm({
      timeZone: "Nowhere",
      reminderTime: "8am",
      cadence: "soon",
      digestDay: "7",
    });
    expect(parsed.ok ? [] : Object.keys(parsed.error).sort()).toEqual([
      "cadence",
      "digestDay",
      "reminderTime",
      "timeZone",
    ]);
  });
});

describe("CSV cells", () => {
  it.each([
    ["plain", "plain"],
    ['say "hi"', '"say ""hi"""'],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
    ["=1+1", "'=1+1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    [null, ""],
    [3, "3"],
  ] as const)("%j becomes %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("joins rows with CRLF", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("a,b\r\n1,x\r\n");
  });
});
