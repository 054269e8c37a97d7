import type { Checkbox, SettingsErrors, SettingsValues, TextField } from "./settings-fields";

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
          How long to wait before each follow-up: 1 to 8 waits separated by commas, each a day to a
          year (d, bd for business days, w, mo, y), for example 3bd, 1w, 2w, 3mo.
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
