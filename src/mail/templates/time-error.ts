import type { TimeError } from "../../domain/time-grammar";
import { htmlPage, paragraphs, type Rendered, replySubject } from "./layout";

/** Says in one sentence what was wrong with a time. */
export function describeTimeError(e: TimeError): string {
  switch (e.kind) {
    case "unrecognized":
      return `Sprout did not understand "${e.near}" in "${e.input}".`;
    case "zero-amount":
      return `"${e.input}" asks for a wait of zero; use an amount from 1 to 999.`;
    case "too-far":
      return `"${e.input}" is more than 5 years away; Sprout schedules up to 5 years ahead.`;
    case "impossible-date":
      return `"${e.input}" is not a real date or time.`;
    case "past":
      return `"${e.input}" is already in the past.`;
    case "today-passed":
      return `"${e.input}" is today, and that time has already passed. For later today, write today and a time, such as today5pm@; for tomorrow, tomorrow@ or tomorrow9am@.`;
  }
}

const EXAMPLES = `Examples that work:
  3d, 2h, 5bd, 1w, 3mo        (in 3 days, 2 hours, 5 business days, ...)
  tomorrow, tomorrow9am, monday, weds930am, nextweek
  aug15, 15aug2027, 2027-08-15, aug15-2pm, april3rdat1300
  every2weeks, every3months, everymonday9am (keep in touch)`;

/** The reply to an outreach whose Sprout address held a time that did not parse. */
export function renderTimeError(
  error: TimeError,
  address: string,
  subject: string,
  mailDomain: string,
): Rendered {
  const text = `${describeTimeError(error)}

Your message "${subject}" (sent to ${address}) is saved but has no reminder yet. Reply to this email with just a time, such as 3d or tomorrow9am, and Sprout will schedule it.

${EXAMPLES}

Or Bcc follow@${mailDomain} to use your usual cadence. help@${mailDomain} lists every format.`;
  return {
    subject: replySubject(subject),
    text,
    html: htmlPage("Sprout needs a time", paragraphs(text)),
  };
}
