import { htmlPage, paragraphs, type Rendered, replySubject } from "./layout";

/** A one-line confirmation in the thread, e.g. after a reply that gave a time. */
export function renderConfirmation(subject: string, line: string): Rendered {
  return { subject: replySubject(subject), text: line, html: htmlPage("Sprout", paragraphs(line)) };
}
