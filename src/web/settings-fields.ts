import type { UserRow } from "../db/schema";
import type { SettingsInput } from "../db/settings";
import { describeCadenceError, parseCadence } from "../domain/cadence";
import { err, ok, type Result } from "../domain/result";
import { isValidTimeZone } from "../domain/zoned-time";
import { field } from "./context";

// The settings form's data: its one list of fields, the values it shows (stored or just
// submitted) and the validation that turns a submission into settings to save. The page
// itself is settings-form.tsx.

/** The form's one list of fields: each name, and whether it is a checkbox or typed text. */
const FIELDS = {
  timeZone: "text",
  reminderTime: "text",
  skipWeekends: "checkbox",
  cadence: "text",
  oneReminderOnly: "checkbox",
  confirmations: "checkbox",
  digestEnabled: "checkbox",
  digestDay: "text",
  paused: "checkbox",
} as const;

type Fields = typeof FIELDS;
export type Checkbox = {
  [K in keyof Fields]: Fields[K] extends "checkbox" ? K : never;
}[keyof Fields];
export type TextField = Exclude<keyof Fields, Checkbox>;

/** The values the form shows: the stored settings, or what was just submitted. */
export type SettingsValues = Record<TextField, string> & Record<Checkbox, boolean>;

/** Each invalid field with a sentence saying what is wrong. */
export type SettingsErrors = Partial<Record<TextField, string>>;

const CHECKBOXES = (Object.keys(FIELDS) as (keyof Fields)[]).filter(
  (name): name is Checkbox => FIELDS[name] === "checkbox",
);

/** The checkboxes' values, picked from the stored settings or from submitted values. */
const checkboxes = (from: Record<Checkbox, boolean>): Record<Checkbox, boolean> =>
  Object.fromEntries(CHECKBOXES.map((name) => [name, from[name]])) as Record<Checkbox, boolean>;

/** "09:00" for 540 minutes after midnight: the value an `<input type="time">` takes. */
function formatHHMM(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The form's values for a user's stored settings. */
export function storedValues(user: UserRow): SettingsValues {
  return {
    timeZone: user.timeZone,
    reminderTime: formatHHMM(user.reminderMinutes),
    cadence: user.cadence.split(",").join(", "),
    digestDay: String(user.digestDay),
    ...checkboxes(user),
  };
}

/**
 * The submitted form as the form's values, each text trimmed. Checkboxes are absent when
 * unticked, which is how HTML forms say false.
 */
export function submittedValues(form: Record<string, unknown>): SettingsValues {
  const entries = Object.entries(FIELDS).map(([name, kind]) => [
    name,
    kind === "checkbox" ? field(form, name) === "on" : field(form, name),
  ]);
  return Object.fromEntries(entries) as SettingsValues;
}

/**
 * Validates the submitted settings form, naming every invalid field at once. The cadence
 * is stored in its normal form, `3bd,1w,2w,3mo`.
 */
export function parseSettingsForm(
  form: Record<string, unknown>,
): Result<SettingsInput, SettingsErrors> {
  const values = submittedValues(form);
  const errors: SettingsErrors = {};
  if (!isValidTimeZone(values.timeZone)) errors.timeZone = "Choose a time zone from the list.";
  const clock = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(values.reminderTime);
  if (clock === null) errors.reminderTime = "Give the time as HH:MM, for example 08:00.";
  const cadence = parseCadence(values.cadence);
  if (!cadence.ok) errors.cadence = describeCadenceError(cadence.error);
  const digestDay = Number(values.digestDay);
  if (!Number.isInteger(digestDay) || digestDay < 0 || digestDay > 6) {
    errors.digestDay = "Choose a day of the week.";
  }
  if (Object.keys(errors).length > 0) return err(errors);
  return ok({
    timeZone: values.timeZone,
    reminderMinutes: Number(clock?.[1] ?? 0) * 60 + Number(clock?.[2] ?? 0),
    cadence: values.cadence
      .split(/[,;]/)
      .map((p) => p.trim().toLowerCase().replace(/\s+/g, ""))
      .filter((p) => p !== "")
      .join(","),
    digestDay,
    ...checkboxes(values),
  });
}
