import { describe, expect, it } from "vitest";
import { digestDue, digestMoment, streak } from "../../src/domain/digest-schedule";

// Moved from test/jobs/digest.test.ts, so test/ mirrors src/ (assertions unchanged).
const DAY = 24 * 3_600_000;
// Monday 9 March 2026: the digest goes out at 08:00 UTC (the default day and time).
const MONDAY_8AM = Date.parse("2026-03-09T08:00:00Z");

describe("digestMoment", () => {
  it.each([
    // now, zone, day, minutes, expected
    ["2026-03-11T12:00:00Z", "UTC", 1, 480, "2026-03-09T08:00:00.000Z"], // Wednesday -> that week's Monday
    ["2026-03-09T07:00:00Z", "UTC", 1, 480, "2026-03-09T08:00:00.000Z"], // Monday before the hour
    ["2026-03-11T12:00:00Z", "UTC", 0, 480, "2026-03-15T08:00:00.000Z"], // Sunday ends the week
    ["2026-03-11T12:00:00Z", "Europe/Berlin", 5, 540, "2026-03-13T08:00:00.000Z"], // Friday 09:00 CET
    ["2026-03-31T12:00:00Z", "Europe/Berlin", 1, 480, "2026-03-30T06:00:00.000Z"], // after DST: CEST
    ["2026-03-09T02:00:00Z", "America/New_York", 1, 480, "2026-03-02T13:00:00.000Z"], // still Sunday in NY
  ])("%s %s day %i", (now, timeZone, digestDay, reminderMinutes, expected) => {
    expect(
      digestMoment(new Date(now), { timeZone, digestDay, reminderMinutes }).toISOString(),
    ).toBe(expected);
  });

  it("is due once the moment has come, once a week, and never for a week before the user joined", () => {
    const prefs = { timeZone: "UTC", digestDay: 1, reminderMinutes: 480 };
    const wednesday = new Date("2026-03-11T12:00:00Z");
    const joinedEarlier = Date.parse("2026-01-01T00:00:00Z");
    expect(
      digestDue(wednesday, { ...prefs, createdAt: joinedEarlier, lastDigestAt: null }),
    ).toEqual({
      due: true,
      moment: MONDAY_8AM,
    });
    expect(
      digestDue(wednesday, { ...prefs, createdAt: joinedEarlier, lastDigestAt: MONDAY_8AM }).due,
    ).toBe(false);
    expect(
      digestDue(wednesday, { ...prefs, createdAt: MONDAY_8AM + DAY, lastDigestAt: null }).due,
    ).toBe(false);
    expect(
      digestDue(new Date(MONDAY_8AM - 1), {
        ...prefs,
        createdAt: joinedEarlier,
        lastDigestAt: null,
      }).due,
    ).toBe(false);
  });

  it.each([
    [[], 0],
    [[0, 0, 1], 1],
    [[1, 1, 0], 0],
    [[1, 0, 2, 3, 1], 3],
  ])("streak of %j is %i", (weeks, n) => {
    expect(streak(weeks)).toBe(n);
  });
});
