import type { ThreadRow, UserRow } from "../db/schema";
import { threadContacts } from "../db/threads";
import { LINK_ACTIONS } from "../domain/links";
import { formatLocal } from "../domain/zoned-time";
import { ACTION_TEXT, DEFAULT_SNOOZE } from "./thread-action";

const STATUS_TEXT: Record<ThreadRow["status"], string> = {
  scheduled: "Waiting for a reply",
  unscheduled: "Needs a time",
  replied: "They replied",
  met: "You talked",
  stopped: "Stopped",
  dormant: "Dormant: all follow-ups done",
};

/** Who a thread went to, as one line: names where known, else addresses. */
export function contactLine(thread: ThreadRow): string {
  const contacts = threadContacts(thread);
  if (contacts.length === 0) return "(no recipients recorded)";
  return contacts.map((c) => (c.name === "" ? c.address : `${c.name} <${c.address}>`)).join(", ");
}

/** One thread with its facts and its four actions, each a small POST form. */
export function ThreadCard(props: { thread: ThreadRow; user: UserRow; back: string }) {
  const t = props.thread;
  const tz = props.user.timeZone;
  const headingId = `t-${t.id}`;
  return (
    <article class="thread" aria-labelledby={headingId}>
      <h3 id={headingId}>{t.subject === "" ? "(no subject)" : t.subject}</h3>
      <p class="meta">To {contactLine(t)}</p>
      <p class="meta">
        Sent {formatLocal(new Date(t.sentAt), tz)} · {STATUS_TEXT[t.status]}
        {t.kind === "every" ? " · keep in touch" : ""}
      </p>
      <p class="meta">
        {t.dueAt === null
          ? "No reminder scheduled."
          : `Next reminder: ${formatLocal(new Date(t.dueAt), tz)} (${tz})`}
      </p>
      {t.snippet === "" ? null : <p class="snippet">{t.snippet}</p>}
      <div class="actions">
        {LINK_ACTIONS.map((action) => (
          <form method="post" action={`/threads/${t.id}/${action}`}>
            <input type="hidden" name="back" value={props.back} />
            {action === "snooze" ? (
              <>
                <label for={`when-${t.id}`}>Snooze until</label>
                <input type="text" id={`when-${t.id}`} name="when" value={DEFAULT_SNOOZE} />
              </>
            ) : null}
            <button
              type="submit"
              class={action === "snooze" ? undefined : "secondary"}
              aria-describedby={headingId}
            >
              {ACTION_TEXT[action].button}
            </button>
          </form>
        ))}
      </div>
    </article>
  );
}
