import { parseCadence } from "../domain/cadence";
import { err, ok, type Result } from "../domain/result";
import { isValidTimeZone } from "../domain/zoned-time";

/** The settings a user can change on the web page, validated. */
export interface SettingsInput {
  timeZone: string;
  reminderMinutes: number;
  skipWeekends: boolean;
  cadence: string;
  oneReminderOnly: boolean;
  confirmations: boolean;
  digestEnabled: boolean;
  /** 0 = Sunday .. 6 = Saturday. */
  digestDay: number;
  paused: boolean;
}

export type SettingsField = "timeZone" | "reminderTime" | "cadence" | "digestDay";

/** Each invalid field with a sentence saying what is wrong. */
export type SettingsErrors = Partial<Record<SettingsField, string>>;

/** "08:00" for 480 minutes after midnight. */
export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * Validates the submitted settings form. Checkboxes are absent when unticked, which is how
 * HTML forms say false. The cadence is stored in its normal form, `3bd,1w,2w,3mo`.
 */
export function parseSettingsForm(
  form: Record<string, string | undefined>,
): Result<SettingsInput, SettingsErrors> {
  const errors: SettingsErrors = {};
  const timeZone = (form.timeZone ?? "").trim();
  if (!isValidTimeZone(timeZone)) errors.timeZone = "Choose a time zone from the list.";
  const clock = /^([01]\d|2[0-3]):([0-5]\d)$/.exec((form.reminderTime ?? "").trim());
  if (clock === null) errors.reminderTime = "Give the time as HH:MM, for example 08:00.";
  const cadenceText = (form.cadence ?? "").trim();
  const cadence = parseCadence(cadenceText);
  if (!cadence.ok) {
    errors.cadence =
      "Give 1 to 12 waits separated by commas, each a number and a unit, for example: 3bd, 1w, 2w, 3mo.";
  }
  const digestDay = Number(form.digestDay ?? "");
  if (!Number.isInteger(digestDay) || digestDay < 0 || digestDay > 6) {
    errors.digestDay = "Choose a day of the week.";
  }
  if (Object.keys(errors).length > 0) return err(errors);
  const checked = (name: string) => form[name] === "on";
  return ok({
    timeZone,
    reminderMinutes: Number(clock?.[1] ?? 0) * 60 + Number(clock?.[2] ?? 0),
    skipWeekends: checked("skipWeekends"),
    cadence: cadenceText
      .split(/[,;]/)
      .map((p) => p.trim().toLowerCase().replace(/\s+/g, ""))
      .filter((p) => p !== "")
      .join(","),
    oneReminderOnly: checked("oneReminderOnly"),
    confirmations: checked("confirmations"),
    digestEnabled: checked("digestEnabled"),
    digestDay,
    paused: checked("paused"),
  });
}
