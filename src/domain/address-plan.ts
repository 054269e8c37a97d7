import type { Route } from "./address";
import { cadenceOrDefault } from "./cadence";
import type { AddressPlan } from "./lifecycle";
import type { SchedulePrefs } from "./schedule";
import { addDuration, nextOccurrence, parseEvery, parseWhen, type TimeError } from "./time-grammar";

/** A tracking address: a time, `follow@`, or `every...@`. */
export type TrackRoute = Extract<Route, { kind: "time" | "follow" | "every" }>;

/** What a tracking address asks for, and why a time was not understood (null when it was). */
interface PlannedAddress {
  plan: AddressPlan;
  error: TimeError | null;
}

/** Works out the first reminder a tracking address asks for, in the user's zone and settings. */
export function planAddress(route: TrackRoute, prefs: SchedulePrefs, now: number): PlannedAddress {
  const at = new Date(now);
  const address = route.local;
  switch (route.kind) {
    case "follow": {
      const [first] = cadenceOrDefault(prefs.cadence);
      if (first === undefined) throw new Error("a cadence has at least one step");
      return {
        plan: { kind: "cadence", address, dueAt: addDuration(at, first, prefs).getTime() },
        error: null,
      };
    }
    case "time": {
      const when = parseWhen(route.local, at, prefs);
      if (!when.ok) {
        return { plan: { kind: "not-understood", address, keepInTouch: false }, error: when.error };
      }
      return { plan: { kind: "named", address, dueAt: when.value.dueAt.getTime() }, error: null };
    }
    case "every": {
      const rec = parseEvery(route.rest);
      if (!rec.ok) {
        // Quote the whole address back, not just the part after "every".
        return {
          plan: { kind: "not-understood", address, keepInTouch: true },
          error: { ...rec.error, input: route.local },
        };
      }
      return {
        plan: {
          kind: "every",
          address,
          recurrence: route.rest,
          dueAt: nextOccurrence(rec.value, at, prefs).getTime(),
        },
        error: null,
      };
    }
  }
}
