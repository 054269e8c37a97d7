import { describe, expect, it } from "vitest";
import { nextDigestAt } from "../../src/domain/digest-next";

const DAY = 86_400_000;
const JOINED = Date.parse("2026-01-01T00:00:00Z");
const utcMonday = { timeZone: "UTC", digestDay: 1, reminderMinutes: 480, createdAt: JOINED };
const at = (iso: string) => Date.parse(iso);

describe("nextDigestAt", () => {
  it.each([
    // now, last digest, catch up, expected
    ["Monday before the hour: today", "2026-03-09T07:00:00Z", null, false, "2026-03-09T08:00:00Z"],
    [
      "Monday after the hour: next week",
      "2026-03-09T09:00:00Z",
      null,
      false,
      "2026-03-16T08:00:00Z",
    ],
    ["...unless catching up", "2026-03-09T09:00:00Z", null, true, "2026-03-09T08:00:00Z"],
    ["Wednesday catching up: Monday's", "2026-03-11T12:00:00Z", null, true, "2026-03-09T08:00:00Z"],
    [
      "never within 6 days of the last",
      "2026-03-09T09:00:00Z",
      "2026-03-09T08:00:00Z",
      true,
      "2026-03-16T08:00:00Z",
    ],
    [
      "right after a digest: next week",
      "2026-03-09T08:00:00Z",
      "2026-03-09T08:00:00Z",
      false,
      "2026-03-16T08:00:00Z",
    ],
  ])("%s", (_name, now, last, catchUp, expected) => {
    const lastDigestAt = last === null ? null : at(last);
    expect(new Date(nextDigestAt(at(now), { ...utcMonday, lastDigestAt }, catchUp))).toEqual(
      new Date(expected),
    );
  });

  it("never picks a week whose moment came before the user joined, even catching up", () => {
    const joined = at("2026-03-09T10:00:00Z");
    expect(
      nextDigestAt(
        at("2026-03-09T11:00:00Z"),
        { ...utcMonday, createdAt: joined, lastDigestAt: null },
        true,
      ),
    ).toBe(at("2026-03-16T08:00:00Z"));
  });

  it("keeps 08:00 local across a daylight-saving change (Berlin, spring forward on 29 March)", () => {
    const berlin = { ...utcMonday, timeZone: "Europe/Berlin" };
    // Monday 23 March 08:00 CET is 07:00 UTC; the Monday after the change, 08:00 CEST is 06:00 UTC.
    const sent = at("2026-03-23T07:00:00Z");
    expect(nextDigestAt(sent, { ...berlin, lastDigestAt: sent }, false)).toBe(
      at("2026-03-30T06:00:00Z"),
    );
    expect(at("2026-03-30T06:00:00Z") - sent).toBe(7 * DAY - 3_600_000);
  });

  it("a digest day of Sunday ends the week (New York, Sunday 09:30)", () => {
    const ny = { ...utcMonday, timeZone: "America/New_York", digestDay: 0, reminderMinutes: 570 };
    expect(nextDigestAt(at("2026-03-11T12:00:00Z"), { ...ny, lastDigestAt: null }, false)).toBe(
      at("2026-03-15T13:30:00Z"),
    );
  });
});
