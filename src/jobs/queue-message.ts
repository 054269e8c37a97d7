/**
 * One due thread, claimed by the cron job and handed to the queue consumer under `lease`.
 * `at` is the cron run's "now" when it enqueued the thread: the consumer works on that clock
 * (the run's scheduledTime moving on), as the cron loop would have, so a reminder's "N days
 * ago", its next step and every delivery time agree with the run that claimed it, even
 * when the local cron endpoint moves the clock.
 */
export interface ReminderMessage {
  threadId: string;
  lease: number;
  at: number;
}

/** Narrows a queue message body (anything could be on the queue) to a ReminderMessage. */
export function isReminderMessage(body: unknown): body is ReminderMessage {
  if (typeof body !== "object" || body === null) return false;
  const m = body as Record<string, unknown>;
  return (
    typeof m.threadId === "string" &&
    m.threadId.length <= 64 &&
    Number.isSafeInteger(m.lease) &&
    Number.isSafeInteger(m.at)
  );
}
