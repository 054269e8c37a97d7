import { describe, expect, it } from "vitest";
import { remindersToMove } from "../../src/domain/reschedule";

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
