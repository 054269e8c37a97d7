import { describe, expect, it } from "vitest";
import { fromLocal, toLocal } from "../../src/domain/zoned-time";

// toLocal reads a zone's offset once per UTC day (a day with a transition is always read
// exactly). Checked here against Intl itself, every 15 minutes around transitions.
function intlLocal(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
  };
}

describe("toLocal around offset changes", () => {
  it.each([
    ["Europe/Berlin", "2026-03-28T00:00:00Z"],
    ["Europe/Berlin", "2026-10-24T00:00:00Z"],
    ["America/New_York", "2026-03-07T00:00:00Z"],
    ["America/New_York", "2026-10-31T00:00:00Z"],
    ["Australia/Lord_Howe", "2026-04-04T00:00:00Z"], // a half-hour change
    ["Asia/Kathmandu", "2026-06-01T00:00:00Z"], // +05:45, no change
    ["Pacific/Apia", "2011-12-28T00:00:00Z"], // Samoa skipped 30 December 2011
  ])("%s from %s, every 15 minutes for 3 days", (zone, from) => {
    const start = Date.parse(from);
    for (let ms = start; ms < start + 3 * 86_400_000; ms += 15 * 60_000) {
      const { weekday: _w, ...local } = toLocal(new Date(ms), zone);
      expect(local, new Date(ms).toISOString()).toEqual(intlLocal(ms, zone));
    }
  });

  it("round-trips local times through fromLocal on a transition day", () => {
    for (let hour = 0; hour < 24; hour++) {
      if (hour === 2) continue; // 02:00-02:59 does not exist on 29 March in Berlin
      const instant = fromLocal(
        { year: 2026, month: 3, day: 29, hour, minute: 30 },
        "Europe/Berlin",
      );
      expect(toLocal(instant, "Europe/Berlin")).toMatchObject({ day: 29, hour, minute: 30 });
    }
  });
});
