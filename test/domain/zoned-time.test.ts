import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  daysInMonth,
  formatLocal,
  fromLocal,
  isValidTimeZone,
  type LocalDate,
  type LocalDateTime,
  type LocalFields,
  toLocal,
  weekdayOf,
} from "../../src/domain/zoned-time";

const NY = "America/New_York";
const BER = "Europe/Berlin";
const KOL = "Asia/Kolkata";
const AKL = "Pacific/Auckland";

function local(s: string, weekday: number): LocalDateTime {
  const [date = "", time = ""] = s.split(" ");
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute] = time.split(":").map(Number);
  return {
    year: year ?? 0,
    month: month ?? 0,
    day: day ?? 0,
    hour: hour ?? 0,
    minute: minute ?? 0,
    weekday,
  };
}

function fields(s: string): LocalFields {
  const { weekday: _, ...rest } = local(s, 0);
  return rest;
}

function date(s: string): LocalDate {
  const [year = 0, month = 0, day = 0] = s.split("-").map(Number);
  return { year, month, day };
}

describe("toLocal", () => {
  const rows: [string, string, LocalDateTime][] = [
    ["2026-03-03T13:00:00Z", NY, local("2026-03-03 08:00", 2)],
    ["2026-03-08T06:59:00Z", NY, local("2026-03-08 01:59", 0)],
    ["2026-03-08T07:00:00Z", NY, local("2026-03-08 03:00", 0)],
    ["2026-11-01T05:30:00Z", NY, local("2026-11-01 01:30", 0)],
    ["2026-11-01T06:30:00Z", NY, local("2026-11-01 01:30", 0)],
    ["2026-03-29T01:00:00Z", BER, local("2026-03-29 03:00", 0)],
    ["2026-12-31T23:30:00Z", BER, local("2027-01-01 00:30", 5)],
    ["2026-03-03T13:00:00Z", KOL, local("2026-03-03 18:30", 2)],
    ["2026-03-03T13:00:00Z", AKL, local("2026-03-04 02:00", 3)],
    ["2026-01-01T00:00:00Z", "UTC", local("2026-01-01 00:00", 4)],
    ["2026-01-01T00:00:59.999Z", "UTC", local("2026-01-01 00:00", 4)],
  ];
  it.each(rows)("%s in %s", (instant, zone, want) => {
    expect(toLocal(new Date(instant), zone)).toEqual(want);
  });
});

describe("fromLocal", () => {
  const rows: [string, string, string][] = [
    ["2026-03-03 08:00", NY, "2026-03-03T13:00:00Z"],
    ["2026-03-08 01:59", NY, "2026-03-08T06:59:00Z"],
    // Skipped by the spring change: moves forward by the gap, to 03:30 EDT.
    ["2026-03-08 02:30", NY, "2026-03-08T07:30:00Z"],
    ["2026-03-08 03:30", NY, "2026-03-08T07:30:00Z"],
    ["2026-11-01 00:30", NY, "2026-11-01T04:30:00Z"],
    // Happens twice in the fall: the earlier (EDT) instant.
    ["2026-11-01 01:30", NY, "2026-11-01T05:30:00Z"],
    ["2026-11-01 02:00", NY, "2026-11-01T07:00:00Z"],
    ["2026-03-29 02:30", BER, "2026-03-29T01:30:00Z"],
    ["2026-10-25 02:30", BER, "2026-10-25T00:30:00Z"],
    ["2026-03-03 08:00", KOL, "2026-03-03T02:30:00Z"],
    ["2026-04-05 02:30", AKL, "2026-04-04T13:30:00Z"],
    ["2026-09-27 02:30", AKL, "2026-09-26T14:30:00Z"],
    ["2026-03-03 08:00", "UTC", "2026-03-03T08:00:00Z"],
  ];
  it.each(rows)("%s in %s", (wall, zone, want) => {
    expect(fromLocal(fields(wall), zone).toISOString()).toBe(new Date(want).toISOString());
  });
});

describe("calendar arithmetic", () => {
  const dayRows: [string, number, string][] = [
    ["2026-02-28", 1, "2026-03-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2026-03-03", 1826, "2031-03-03"],
  ];
  it.each(dayRows)("%s + %i days", (from, n, want) => {
    expect(addDays(date(from), n)).toEqual(date(want));
  });

  const monthRows: [string, number, string][] = [
    ["2026-01-31", 1, "2026-02-28"],
    ["2028-01-31", 1, "2028-02-29"],
    ["2026-03-31", 1, "2026-04-30"],
    ["2026-11-30", 3, "2027-02-28"],
    ["2026-01-31", -2, "2025-11-30"],
    ["2028-02-29", 12, "2029-02-28"],
    ["2026-03-03", 60, "2031-03-03"],
  ];
  it.each(monthRows)("%s + %i months", (from, n, want) => {
    expect(addMonths(date(from), n)).toEqual(date(want));
  });

  const lengthRows: [number, number, number][] = [
    [2026, 2, 28],
    [2028, 2, 29],
    [2100, 2, 28],
    [2000, 2, 29],
    [2026, 4, 30],
    [2026, 12, 31],
  ];
  it.each(lengthRows)("%i-%i has %i days", (year, month, want) => {
    expect(daysInMonth(year, month)).toBe(want);
  });

  const weekdayRows: [string, number][] = [
    ["2026-03-03", 2],
    ["2026-08-15", 6],
    ["2026-03-08", 0],
    ["2027-01-01", 5],
  ];
  it.each(weekdayRows)("%s is weekday %i", (d, want) => {
    expect(weekdayOf(date(d))).toBe(want);
  });
});

describe("isValidTimeZone", () => {
  const rows: [string, boolean][] = [
    [NY, true],
    [BER, true],
    [KOL, true],
    [AKL, true],
    ["UTC", true],
    ["Mars/Olympus_Mons", false],
    ["not a zone", false],
    ["", false],
  ];
  it.each(rows)("%s -> %s", (zone, want) => {
    expect(isValidTimeZone(zone)).toBe(want);
  });
});

describe("formatLocal", () => {
  const rows: [string, string, string][] = [
    ["2026-03-03T13:00:00Z", NY, "Tue 3 Mar 2026, 08:00"],
    ["2026-03-03T13:00:00Z", KOL, "Tue 3 Mar 2026, 18:30"],
    ["2026-03-03T13:00:00Z", AKL, "Wed 4 Mar 2026, 02:00"],
    ["2026-11-01T06:30:00Z", NY, "Sun 1 Nov 2026, 01:30"],
    ["2026-01-01T00:00:00Z", "UTC", "Thu 1 Jan 2026, 00:00"],
    ["2026-12-31T23:30:00Z", BER, "Fri 1 Jan 2027, 00:30"],
  ];
  it.each(rows)("%s in %s", (instant, zone, want) => {
    expect(formatLocal(new Date(instant), zone)).toBe(want);
  });
});
