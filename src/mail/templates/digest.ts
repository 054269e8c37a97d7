import type { Contact } from "../../db/threads";
import { formatLocal } from "../../domain/zoned-time";
import { escapeHtml, htmlPage, type Rendered } from "./layout";
import { describeContacts } from "./list";

/** Everything the weekly digest shows. */
interface DigestView {
  timeZone: string;
  lastWeek: { outreach: number; followup: number; reply: number; call: number };
  /** Outreach per 4-week span, oldest first, with how many were answered. */
  spans: { label: string; sent: number; answered: number }[];
  dueThisWeek: { contacts: Contact[]; subject: string; dueAt: number }[];
  moreDue: number;
  streakWeeks: number;
  answers: { answered: number; afterFollowUp: number };
  threadsUrl: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const rate = (answered: number, sent: number) =>
  sent === 0
    ? "no outreach"
    : `${answered} of ${sent} answered (${Math.round((100 * answered) / sent)}%)`;

/** The weekly digest: last week's numbers, the response rate, what is due, the streak. */
export function renderDigest(v: DigestView): Rendered {
  const w = v.lastWeek;
  const lines: string[] = [];
  lines.push(
    `Last 7 days: ${plural(w.outreach, "message")} sent, ${plural(w.followup, "follow-up")}, ${plural(w.reply, "reply", "replies")}, ${plural(w.call, "call")}.`,
  );
  lines.push(
    v.streakWeeks > 0
      ? `Streak: ${plural(v.streakWeeks, "week")} in a row with outreach.`
      : "Streak: no outreach in the last 7 days. One message this week starts a new streak.",
  );
  if (v.answers.answered > 0) {
    lines.push(
      `Of the ${plural(v.answers.answered, "answer")} you have had, ${v.answers.afterFollowUp} came after you followed up.`,
    );
  }
  const spans = v.spans.map((s) => `  ${s.label}: ${rate(s.answered, s.sent)}`).join("\n");
  const due =
    v.dueThisWeek.length === 0
      ? "  Nothing due. Bcc follow@ on your next outreach and Sprout will remind you."
      : v.dueThisWeek
          .map(
            (t) =>
              `  ${formatLocal(new Date(t.dueAt), v.timeZone)}: ${describeContacts(t.contacts)}, "${t.subject}"`,
          )
          .join("\n") + (v.moreDue > 0 ? `\n  ...and ${v.moreDue} more.` : "");
  const text = `${lines.join("\n")}

Response rate, outreach by when it was sent:
${spans}

Follow-ups due in the next 7 days (${v.timeZone}):
${due}

All your threads and stats: ${v.threadsUrl}
You get this every week; turn it off in Settings or with your mail app's unsubscribe button.`;

  const list = (items: string[]) =>
    `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
  const html = htmlPage(
    "Your week in outreach",
    `${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("\n")}
<h2 style="font-size:16px">Response rate, outreach by when it was sent</h2>
${list(v.spans.map((s) => `${s.label}: ${rate(s.answered, s.sent)}`))}
<h2 style="font-size:16px">Follow-ups due in the next 7 days</h2>
${
  v.dueThisWeek.length === 0
    ? "<p>Nothing due. Bcc follow@ on your next outreach and Sprout will remind you.</p>"
    : list(
        v.dueThisWeek.map(
          (t) =>
            `${formatLocal(new Date(t.dueAt), v.timeZone)}: ${describeContacts(t.contacts)}, "${t.subject}"`,
        ),
      ) + (v.moreDue > 0 ? `<p>...and ${v.moreDue} more.</p>` : "")
}
<p><a href="${escapeHtml(v.threadsUrl)}">All your threads and stats</a></p>`,
  );
  return {
    subject: `Your week in outreach: ${plural(w.outreach, "message")} sent, ${plural(w.reply + w.call, "answer")}`,
    text,
    html,
  };
}

/**
 * The digest's list headers. It is a recurring mailing, so it says so completely: a List-Id
 * (RFC 2919) that names it, so a mail app can file or filter every week's digest as one list
 * (Gmail: `list:digest.<MAIL_DOMAIN>`), beside one-click unsubscribe (RFC 8058). Unsubscribe
 * without a List-Id is the pattern of bulk mail that only pretends to be a list.
 */
export function digestHeaders(unsubscribeUrl: string, mailDomain: string): Record<string, string> {
  return {
    "List-Id": `Sprout weekly digest <digest.${mailDomain}>`,
    "List-Unsubscribe": `<${unsubscribeUrl}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
