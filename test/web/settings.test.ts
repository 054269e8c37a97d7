import { describe, expect, it } from "vitest";
import { cookieFor, makeThread, makeUser, rowWhere, web } from "./helpers";

const FORM = {
  timeZone: "UTC",
  reminderTime: "08:00",
  skipWeekends: "on",
  cadence: "3bd, 1w, 2w, 3mo",
  confirmations: "on",
  digestEnabled: "on",
  digestDay: "1",
};

describe("the settings page", () => {
  it("shows the stored settings, the full zone list and the addresses to use", async () => {
    const user = await makeUser({ timeZone: "Asia/Kolkata", reminderMinutes: 570 });
    const res = await web("/settings", { cookie: await cookieFor(user.id) });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<option value="Asia/Kolkata" selected="">Asia/Kolkata</option>');
    expect(res.text.match(/<option value="[A-Za-z]+\/[^"]+"/g)?.length).toBeGreaterThan(300);
    expect(res.text).toContain('value="09:30"');
    expect(res.text).toContain("follow@sprout.test");
    expect(res.text).toContain('<label for="cadence">Cadence</label>');
  });

  it("saves every setting, and they stick", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const saved = await web("/settings", {
      cookie,
      form: {
        timeZone: "Europe/Berlin",
        reminderTime: "07:15",
        cadence: "2d ,1W; 1mo",
        oneReminderOnly: "on",
        digestDay: "5",
        paused: "on",
      },
    });
    expect(saved.status).toBe(303);
    expect(saved.res.headers.get("Location")).toBe("/settings?saved=0");
    const row = await rowWhere("users", "id", user.id);
    expect(row).toMatchObject({
      time_zone: "Europe/Berlin",
      reminder_minutes: 435,
      skip_weekends: 0,
      cadence: "2d,1w,1mo",
      one_reminder_only: 1,
      confirmations: 0,
      digest_enabled: 0,
      digest_day: 5,
      paused: 1,
    });
    const page = await web("/settings?saved=0", { cookie });
    expect(page.text).toContain("Settings saved.");
    expect(page.text).toMatch(/id="paused" name="paused" checked=""/);
    expect(page.text).toContain('value="2d, 1w, 1mo"');
  });

  it.each([
    ["cadence", { cadence: "3 fortnights" }, "&quot;3 fortnights&quot; is not a wait"],
    ["cadence", { cadence: "" }, "Give 1 to 8 waits"],
    ["cadence", { cadence: "1h, 1w" }, "&quot;1h&quot; is shorter than a day"],
    ["cadence", { cadence: "3bd, 999y" }, "&quot;999y&quot; is longer than a year"],
    ["cadence", { cadence: "1d,2d,3d,4d,5d,6d,7d,8d,9d" }, "That is 9 waits"],
    ["timeZone", { timeZone: "Mars/Olympus" }, "Choose a time zone"],
    ["reminderTime", { reminderTime: "25:00" }, "HH:MM"],
    ["digestDay", { digestDay: "9" }, "day of the week"],
  ])("refuses an invalid %s, says why, and saves nothing", async (name, change, message) => {
    const user = await makeUser();
    const res = await web("/settings", {
      cookie: await cookieFor(user.id),
      form: { ...FORM, paused: "on", ...change },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain(
      `aria-describedby="${name}-hint ${name}-error"`.replace("digestDay-hint ", ""),
    );
    expect((await rowWhere("users", "id", user.id))?.paused).toBe(0);
  });

  it("moves reminders that used the default time, and leaves named times alone", async () => {
    const user = await makeUser({ timeZone: "UTC", reminderMinutes: 480 });
    const cookie = await cookieFor(user.id);
    const atDefault = await makeThread(user.id, { dueAt: Date.UTC(2031, 2, 10, 8, 0) });
    const named = await makeThread(user.id, { dueAt: Date.UTC(2031, 2, 11, 9, 0) });
    const exact = await makeThread(user.id, { dueAt: Date.UTC(2031, 2, 12, 8, 0, 17) });
    const replied = await makeThread(user.id, {
      status: "replied",
      dueAt: Date.UTC(2031, 2, 13, 8, 0),
    });
    const saved = await web("/settings", {
      cookie,
      form: { ...FORM, timeZone: "America/New_York", reminderTime: "09:30" },
    });
    expect(saved.res.headers.get("Location")).toBe("/settings?saved=1");
    // 10 Mar 2031 09:30 in New York (EDT since 9 Mar) is 13:30 UTC.
    expect(Number((await rowWhere("threads", "id", atDefault))?.due_at)).toBe(
      Date.UTC(2031, 2, 10, 13, 30),
    );
    expect(Number((await rowWhere("threads", "id", named))?.due_at)).toBe(
      Date.UTC(2031, 2, 11, 9, 0),
    );
    expect(Number((await rowWhere("threads", "id", exact))?.due_at)).toBe(
      Date.UTC(2031, 2, 12, 8, 0, 17),
    );
    expect(Number((await rowWhere("threads", "id", replied))?.due_at)).toBe(
      Date.UTC(2031, 2, 13, 8, 0),
    );
    const page = await web("/settings?saved=1", { cookie });
    expect(page.text).toContain("1 pending reminder moved to your new reminder time.");
  });
});
