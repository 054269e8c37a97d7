import { formatLocal } from "../../domain/zoned-time";
import { htmlPage, paragraphs, type Rendered, replySubject } from "./layout";

/** A one-line confirmation in the thread, e.g. after a reply that gave a time. */
export function renderConfirmation(subject: string, line: string): Rendered {
  return { subject: replySubject(subject), text: line, html: htmlPage("Sprout", paragraphs(line)) };
}

/** "Got it: Sprout will remind you on Tue 3 Mar 2026, 08:00 (Europe/Berlin)." */
export function scheduledLine(dueAt: number, timeZone: string): string {
  return `Got it: Sprout will remind you on ${formatLocal(new Date(dueAt), timeZone)} (${timeZone}).`;
}
