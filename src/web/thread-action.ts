import { applyCommand, describeSnoozeError, type ThreadCommand } from "../commands/apply";
import { type Db, runBatch } from "../db/client";
import type { ThreadRow, UserRow } from "../db/schema";
import type { LinkAction } from "../domain/links";
import { err, ok, type Result } from "../domain/result";
import type { WebFailure } from "./failures";

/** What each action's button says, and what pressing it will do. */
export const ACTION_TEXT: Record<LinkAction, { button: string; explain: string }> = {
  done: {
    button: "I followed up",
    explain: "Sprout counts your follow-up and schedules the next reminder on your cadence.",
  },
  replied: {
    button: "They replied",
    explain: "Sprout counts the reply and stops reminding you about this conversation.",
  },
  snooze: { button: "Snooze", explain: "Sprout moves the next reminder to the time you give." },
  stop: { button: "Stop", explain: "Sprout stops tracking this conversation." },
};

/** The default snooze of a reminder's link: one week. */
export const DEFAULT_SNOOZE = "1w";

/**
 * Applies an action to a thread the same way a reply command would, commits it in one
 * batch, and returns the confirmation line (or why a snooze time was refused).
 */
export async function actOnThread(
  db: Db,
  user: UserRow,
  thread: ThreadRow,
  action: LinkAction,
  when: string,
  now: number,
): Promise<Result<string, WebFailure>> {
  const command: ThreadCommand =
    action === "snooze"
      ? { kind: "snooze", when: when === "" ? DEFAULT_SNOOZE : when }
      : { kind: action };
  const applied = applyCommand(db, user, thread, command, now, "web");
  if (!applied.ok) {
    return err({ kind: "bad-request", message: describeSnoozeError(applied.error.error) });
  }
  await runBatch(db, applied.value.statements);
  return ok(applied.value.line);
}
