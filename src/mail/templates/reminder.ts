import type { Contact } from "../../db/threads";
import { formatLocal, toLocal } from "../../domain/zoned-time";
import { escapeHtml, htmlPage, type Rendered, replySubject } from "./layout";
import { describeContacts } from "./list";

/** Everything a reminder shows. */
interface ReminderView {
  subject: string;
  contacts: Contact[];
  sentAt: number;
  snippet: string;
  /** Which reminder this is, and of how many (null total: keep-in-touch). */
  step: number;
  total: number | null;
  recurrence: string | null;
  now: number;
  timeZone: string;
  mailDomain: string;
  /** The sign-in page, for the footer. */
  signInUrl: string;
  links: { done: string; replied: string; snooze: string; stop: string };
}

/** Calendar days between two instants in the user's zone ("5 days ago", not 4.9). */
function daysAgo(sentAt: number, now: number, timeZone: string): number {
  const a = toLocal(new Date(sentAt), timeZone);
  const b = toLocal(new Date(now), timeZone);
  const day = (l: { year: number; month: number; day: number }) =>
    Date.UTC(l.year, l.month - 1, l.day);
  return Math.max(0, Math.round((day(b) - day(a)) / 86_400_000));
}

function ago(days: number): string {
  if (days === 0) return "today";
  if (days === 1) return "yesterday";
  return `${days} days ago`;
}

/** The reminder email: who, when, which follow-up, the snippet, and the actions two ways. */
export function renderReminder(v: ReminderView): Rendered {
  const who = describeContacts(v.contacts);
  const when = `${ago(daysAgo(v.sentAt, v.now, v.timeZone))} (${formatLocal(new Date(v.sentAt), v.timeZone).replace(/, \d\d:\d\d$/, "")})`;
  const headline =
    v.total === null
      ? `Time to get back in touch: you wrote to ${who} about "${v.subject}" ${when}.`
      : `You wrote to ${who} about "${v.subject}" ${when} and haven't heard back. Follow up?`;
  const which =
    v.total === null
      ? `Keep-in-touch reminder ${v.step} (every ${v.recurrence ?? "interval"}).`
      : `This is follow-up ${v.step} of ${v.total}.`;
  const quote = v.snippet === "" ? "" : `\n${v.snippet.replace(/^/gm, "> ")}\n`;
  const text = `${headline}
${which}
${quote}
Reply to this email with one word:
  done        I followed up: remind me about the next step
  replied     they answered: stop reminding me
  call        we talked or met: stop reminding me
  snooze 1w   remind me again in a week (or any time: snooze tuesday)
  stop        stop tracking this conversation

Or open a link (each asks you to confirm):
  Done: ${v.links.done}
  They replied: ${v.links.replied}
  Snooze 1 week: ${v.links.snooze}
  Stop: ${v.links.stop}

help@${v.mailDomain} lists every command and time format.
All your follow-ups, settings and stats: ${v.signInUrl}`;

  const button = (href: string, label: string) =>
    `<a href="${escapeHtml(href)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border-radius:6px;background:#166534;color:#ffffff;text-decoration:none">${escapeHtml(label)}</a>`;
  // Whitespace between the buttons: run together ("I followed upThey replied"), they read
  // as one word to screen readers, to mail apps that show HTML as text, and to spam filters
  // (SpamAssassin counts words split by tags as obfuscation).
  const actions = [
    button(v.links.done, "I followed up"),
    button(v.links.replied, "They replied"),
    button(v.links.snooze, "Snooze 1 week"),
    button(v.links.stop, "Stop"),
  ].join("\n");
  const html = htmlPage(
    replySubject(v.subject),
    `<p>${escapeHtml(headline)}</p>
<p style="color:#4b5563">${escapeHtml(which)}</p>
${v.snippet === "" ? "" : `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d1d5db;color:#374151">${escapeHtml(v.snippet)}</blockquote>`}
<p>${actions}</p>
<p style="color:#4b5563;font-size:14px">Or reply with one word: <b>done</b>, <b>replied</b>, <b>call</b>, <b>snooze 1w</b> (any time works) or <b>stop</b>.</p>
<p style="color:#6b7280;font-size:13px"><a href="${escapeHtml(v.signInUrl)}">All your follow-ups, settings and stats</a></p>`,
  );
  return { subject: replySubject(v.subject), text, html };
}
