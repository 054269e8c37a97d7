import type { UserRow } from "../db/schema";
import type { SettingsInput } from "../db/settings";
import { parseCadence } from "../domain/cadence";
import { err, ok, type Result } from "../domain/result";
import { isValidTimeZone } from "../domain/zoned-time";
import { field } from "./context";

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
type Checkbox = { [K in keyof Fields]: Fields[K] extends "checkbox" ? K : never }[keyof Fields];
type TextField = Exclude<keyof Fields, Checkbox>;

/** The values the form shows: the stored settings, or what was just submitted. */
type SettingsValues = Record<TextField, string> & Record<Checkbox, boolean>;

/** Each invalid field with a sentence saying what is wrong. */
type SettingsErrors = Partial<Record<TextField, string>>;

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
  if (!parseCadence(values.cadence).ok) {
    errors.cadence =
      "Give 1 to 12 waits separated by commas, each a number and a unit, for example: 3bd, 1w, 2w, 3mo.";
  }
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

/** Every IANA zone the runtime knows (with UTC, which some lists leave out). */
function timeZones(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf("timeZone"));
  zones.add("UTC");
  if (current !== "") zones.add(current);
  return [...zones].sort();
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function ErrorText(props: { id: string; text: string | undefined }) {
  return props.text === undefined ? null : (
    <p class="error" id={props.id}>
      {props.text}
    </p>
  );
}

function Check(props: { name: Checkbox; checked: boolean; label: string; hint: string }) {
  return (
    <>
      <label class="check" for={props.name}>
        <input
          type="checkbox"
          id={props.name}
          name={props.name}
          checked={props.checked}
          aria-describedby={`${props.name}-hint`}
        />
        {props.label}
      </label>
      <p class="hint" id={`${props.name}-hint`}>
        {props.hint}
      </p>
    </>
  );
}

const describedBy = (hint: string, error: string | undefined, name: TextField) =>
  error === undefined ? hint : `${hint} ${name}-error`;

/** The settings form, with each invalid field marked and explained. */
export function SettingsForm(props: { values: SettingsValues; errors: SettingsErrors }) {
  const v = props.values;
  const e = props.errors;
  return (
    <form method="post" action="/settings" novalidate>
      <fieldset>
        <legend>When reminders arrive</legend>
        <label for="timeZone">Time zone</label>
        <select
          id="timeZone"
          name="timeZone"
          aria-describedby={describedBy("timeZone-hint", e.timeZone, "timeZone")}
          aria-invalid={e.timeZone === undefined ? undefined : "true"}
        >
          {timeZones(v.timeZone).map((z) => (
            <option value={z} selected={z === v.timeZone}>
              {z}
            </option>
          ))}
        </select>
        <p class="hint" id="timeZone-hint">
          Reminder times and dates on these pages use this zone.
        </p>
        <ErrorText id="timeZone-error" text={e.timeZone} />
        <label for="reminderTime">Reminder time</label>
        <input
          type="time"
          id="reminderTime"
          name="reminderTime"
          value={v.reminderTime}
          aria-describedby={describedBy("reminderTime-hint", e.reminderTime, "reminderTime")}
          aria-invalid={e.reminderTime === undefined ? undefined : "true"}
        />
        <p class="hint" id="reminderTime-hint">
          Reminders due on a day (3d, 1w, tuesday) arrive at this time. Changing the zone or this
          time moves your pending reminders that use it; reminders at a time you named, such as
          tomorrow9am, stay where they are.
        </p>
        <ErrorText id="reminderTime-error" text={e.reminderTime} />
        <Check
          name="skipWeekends"
          checked={v.skipWeekends}
          label="Skip weekends"
          hint="Reminders that land on a Saturday or Sunday move to Monday, unless you named that day."
        />
      </fieldset>
      <fieldset>
        <legend>Follow-ups</legend>
        <label for="cadence">Cadence</label>
        <input
          type="text"
          id="cadence"
          name="cadence"
          value={v.cadence}
          aria-describedby={describedBy("cadence-hint", e.cadence, "cadence")}
          aria-invalid={e.cadence === undefined ? undefined : "true"}
        />
        <p class="hint" id="cadence-hint">
          How long to wait before each follow-up, separated by commas: 3bd (business days), 1w, 2w,
          3mo.
        </p>
        <ErrorText id="cadence-error" text={e.cadence} />
        <Check
          name="oneReminderOnly"
          checked={v.oneReminderOnly}
          label="One reminder only for timed addresses"
          hint="With 3d@ or tuesday@, remind once at that time and not again on the cadence."
        />
        <Check
          name="confirmations"
          checked={v.confirmations}
          label="Confirm reply commands"
          hint="A one-line reply when you answer a reminder with done, snooze and the like."
        />
      </fieldset>
      <fieldset>
        <legend>Weekly digest</legend>
        <Check
          name="digestEnabled"
          checked={v.digestEnabled}
          label="Send me a weekly digest"
          hint="Last week's outreach, follow-ups, replies and calls, and what is due this week."
        />
        <label for="digestDay">Digest day</label>
        <select
          id="digestDay"
          name="digestDay"
          aria-describedby={e.digestDay === undefined ? undefined : "digestDay-error"}
          aria-invalid={e.digestDay === undefined ? undefined : "true"}
        >
          {DAYS.map((day, i) => (
            <option value={String(i)} selected={String(i) === v.digestDay}>
              {day}
            </option>
          ))}
        </select>
        <ErrorText id="digestDay-error" text={e.digestDay} />
      </fieldset>
      <fieldset>
        <legend>Pause</legend>
        <Check
          name="paused"
          checked={v.paused}
          label="Pause everything"
          hint="No reminders or digests go out while paused; Sprout still records your outreach."
        />
      </fieldset>
      <p>
        <button type="submit">Save settings</button>
      </p>
    </form>
  );
}
