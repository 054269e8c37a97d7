import type { Contact } from "../../db/threads";
import { formatLocal } from "../../domain/zoned-time";
import { escapeHtml, htmlPage, type Rendered } from "./layout";

/** One pending thread as the list shows it. */
interface ListItem {
  contacts: Contact[];
  subject: string;
  dueAt: number | null;
}

/** Names the people a thread went to: "Jane Doe <jane@example.com> and 2 others". */
export function describeContacts(contacts: Contact[]): string {
  const [first, ...rest] = contacts;
  if (first === undefined) return "yourself";
  const one = first.name === "" ? first.address : `${first.name} <${first.address}>`;
  if (rest.length === 0) return one;
  return `${one} and ${rest.length} other${rest.length === 1 ? "" : "s"}`;
}

/** The `list@` reply: pending follow-ups, soonest first, times in the user's zone. */
export function renderList(items: ListItem[], total: number, timeZone: string): Rendered {
  if (items.length === 0) {
    const text =
      "You have no pending follow-ups.\n\nBcc follow@ or a time such as 3d@ on your next outreach and Sprout will remind you.";
    return {
      subject: "Your pending follow-ups: none",
      text,
      html: htmlPage("Pending follow-ups", `<p>${escapeHtml(text).replace(/\n/g, "<br>")}</p>`),
    };
  }
  const when = (dueAt: number | null) =>
    dueAt === null
      ? "needs a time (reply to Sprout's error email)"
      : formatLocal(new Date(dueAt), timeZone);
  const lines = items.map(
    (t, i) => `${i + 1}. ${when(t.dueAt)}: ${describeContacts(t.contacts)}, "${t.subject}"`,
  );
  const more = total > items.length ? `\n\n...and ${total - items.length} more.` : "";
  const text = `Your pending follow-ups (${total}), soonest first. Times are in ${timeZone}.\n\n${lines.join("\n")}${more}`;
  const rows = items
    .map(
      (t) =>
        `<tr><td style="padding:4px 12px 4px 0;white-space:nowrap">${escapeHtml(when(t.dueAt))}</td><td style="padding:4px 12px 4px 0">${escapeHtml(describeContacts(t.contacts))}</td><td style="padding:4px 0">${escapeHtml(t.subject)}</td></tr>`,
    )
    .join("\n");
  const html = htmlPage(
    "Your pending follow-ups",
    `<p>Your pending follow-ups (${total}), soonest first. Times are in ${escapeHtml(timeZone)}.</p>
<table style="border-collapse:collapse"><thead><tr><th align="left">When</th><th align="left">Who</th><th align="left">Subject</th></tr></thead><tbody>
${rows}
</tbody></table>${more === "" ? "" : `<p>...and ${total - items.length} more.</p>`}`,
  );
  return { subject: `Your pending follow-ups (${total})`, text, html };
}
