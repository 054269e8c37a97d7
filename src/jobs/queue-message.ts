/** One due thread, claimed by the cron job and handed to the queue consumer under `lease`. */
export interface ReminderMessage {
  threadId: string;
  lease: number;
}

/** Narrows a queue message body (anything could be on the queue) to a ReminderMessage. */
export function isReminderMessage(body: unknown): body is ReminderMessage {
  if (typeof body !== "object" || body === null) return false;
  const m = body as Record<string, unknown>;
  return typeof m.threadId === "string" && m.threadId.length <= 64 && Number.isInteger(m.lease);
}
