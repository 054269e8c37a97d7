import { Hono } from "hono";
import { followUpGroups, STAT_KINDS, threadsPerStatus, weeklyCounts } from "../../db/stats";
import {
  answersAfterFollowingUp,
  countByGroup,
  type ResponseRow,
  responseByFollowUp,
  STATUS_GROUPS,
} from "../../domain/stats";
import { addDays, atLocalMinutes, toLocal } from "../../domain/zoned-time";
import type { AppEnv } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { requireUser } from "../session";
import {
  followUpLabel,
  KIND_LABELS,
  percent,
  ResponseChart,
  STATUS_LABELS,
  StatusChart,
  WeeklyChart,
  weekLabel,
} from "../stats-charts";

/**
 * The user's numbers: activity per week, the response rate by follow-up number and the
 * threads by status, each as an SVG chart and the same numbers as a table (no JavaScript).
 */
export const statsRoutes = new Hono<AppEnv>();
statsRoutes.use("/stats", requireUser);

const WEEKS = 12;

statsRoutes.get("/stats", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const db = c.get("db");
  const today = toLocal(new Date(c.get("now")), user.timeZone);
  const monday = addDays(today, -((today.weekday + 6) % 7));
  const weeks = Array.from({ length: WEEKS }, (_, i) => addDays(monday, (i - WEEKS + 1) * 7));
  const first = weeks[0] ?? monday;
  const start = atLocalMinutes(first, 0, user.timeZone).getTime();
  const [counts, groups, perStatus] = await Promise.all([
    weeklyCounts(db, user.id, start, WEEKS),
    followUpGroups(db, user.id),
    threadsPerStatus(db, user.id),
  ]);
  const rows = responseByFollowUp(groups);
  const byStatus = countByGroup(perStatus);
  return c.html(
    <Layout title="Your outreach" user={user}>
      <p>Weeks start on Monday, in {user.timeZone}.</p>
      <ul class="legend" aria-hidden="true">
        {STAT_KINDS.map((k) => (
          <li>
            <span class={`swatch s-${k}`} />
            {KIND_LABELS[k]}
          </li>
        ))}
      </ul>
      <WeeklyChart weeks={weeks} counts={counts} />
      <h2>The numbers</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            {STAT_KINDS.map((k) => (
              <th scope="col">{KIND_LABELS[k]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((w, i) => (
            <tr>
              <th scope="row">{weekLabel(w)}</th>
              {STAT_KINDS.map((k) => (
                <td>{counts[k][i] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <FollowUpSection rows={rows} />
      <h2 id="status">Your threads by status</h2>
      <StatusChart counts={byStatus} />
      <table aria-labelledby="status">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Threads</th>
          </tr>
        </thead>
        <tbody>
          {STATUS_GROUPS.map((g) => (
            <tr>
              <th scope="row">{STATUS_LABELS[g]}</th>
              <td>{byStatus[g]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        Waiting: a reminder is coming (or a time is still to be given). Replied: the contact
        answered or you talked. Dormant: the cadence ran out without an answer. Stopped: you stopped
        it.
      </p>
    </Layout>,
  );
});

/** The response rate by follow-up number, with the sentence that says why it matters. */
function FollowUpSection(props: { rows: ResponseRow[] }) {
  const { answered, afterFollowUp } = answersAfterFollowingUp(props.rows);
  const total = props.rows[0]?.reached ?? 0;
  return (
    <>
      <h2 id="rate">Does following up pay?</h2>
      {total === 0 ? (
        <p>No outreach yet: Bcc Sprout on your next message and this fills in.</p>
      ) : (
        <>
          <p>
            {answered === 0
              ? `No answers yet from your ${total} ${total === 1 ? "thread" : "threads"}.`
              : `Of your ${answered} ${answered === 1 ? "answer" : "answers"}, ${afterFollowUp} came only after you followed up.`}
          </p>
          <ResponseChart rows={props.rows} />
          <table aria-labelledby="rate">
            <thead>
              <tr>
                <th scope="col">After</th>
                <th scope="col">Threads</th>
                <th scope="col">Answered</th>
                <th scope="col">Waiting</th>
                <th scope="col">Rate</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <th scope="row">{followUpLabel(row)}</th>
                  <td>{row.reached}</td>
                  <td>{row.answered}</td>
                  <td>{row.waiting}</td>
                  <td>{percent(row.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="hint">
            Threads: those that got this far, with that many follow-ups and no answer before them.
            Answered: those answered (a reply or a call) before your next follow-up. Waiting: no
            answer yet, and a reminder still coming. Rate: answered, out of the threads not waiting.
          </p>
        </>
      )}
    </>
  );
}
