import { describe, expect, it } from "vitest";
import { parseSettingsForm, storedValues } from "../../src/web/settings-fields";

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

describe("the settings form's round trip", () => {
  it("reads back exactly the stored settings it shows", () => {
    const stored = {
      timeZone: "Asia/Kolkata",
      reminderMinutes: 570,
      skipWeekends: true,
      cadence: "2d,1w,1mo",
      oneReminderOnly: false,
      confirmations: true,
      digestEnabled: false,
      digestDay: 0,
      paused: true,
    };
    const user = { id: "u", email: "u@example.com", status: "verified" as const, createdAt: 1 };
    const shown = storedValues({ ...user, ...stored, lastDigestAt: null, nextDigestAt: null });
    // A browser submits ticked boxes as "on" and leaves unticked ones out.
    const submitted = Object.fromEntries(
      Object.entries(shown).flatMap(([name, value]) =>
        value === false ? [] : [[name, value === true ? "on" : value]],
      ),
    );
    expect(submitted.reminderTime).toBe("09:30");
    expect(parseSettingsForm(submitted)).toEqual({ ok: true, value: stored });
  });
});

describe("hostile settings forms", () => {
  const valid = { timeZone: "UTC", reminderTime: "08:00", cadence: "3bd", digestDay: "1" };

  it("refuses a field sent twice or as a file instead of picking one", () => {
    const twice = parseSettingsForm({ ...valid, timeZone: ["UTC", "Europe/Paris"] });
    expect(twice.ok ? [] : Object.keys(twice.error)).toEqual(["timeZone"]);
    const file = parseSettingsForm({ ...valid, cadence: new File(["3bd"], "c.txt") });
    expect(file.ok ? [] : Object.keys(file.error)).toEqual(["cadence"]);
  });

  it("refuses a 150 KB cadence and a time zone carrying CR/LF", () => {
    const parsed = parseSettingsForm({
      ...valid,
      cadence: "1w,".repeat(50_000),
      timeZone: "UTC\r\nX-Injected: 1",
    });
    expect(parsed.ok ? [] : Object.keys(parsed.error).sort()).toEqual(["cadence", "timeZone"]);
  });

  it("ticks a checkbox only for the value a browser sends, `on`", () => {
    const parsed = parseSettingsForm({ ...valid, paused: "true", skipWeekends: "on" });
    expect(parsed.ok && [parsed.value.paused, parsed.value.skipWeekends]).toEqual([false, true]);
  });
});
