import { Hono } from "hono";
import { STAT_KINDS, type StatKind, weeklyCounts } from "../../db/stats";
import { addDays, atLocalMinutes, type LocalDate, toLocal } from "../../domain/zoned-time";
import type { AppEnv } from "../context";
import { failurePage } from "../failures";
import { Layout } from "../layout";
import { requireUser } from "../session";

/** Outreach, follow-ups, replies and calls per week: an SVG chart and the same as a table. */
export const statsRoutes = new Hono<AppEnv>();
statsRoutes.use("/stats", requireUser);

const WEEKS = 12;
const LABELS: Record<StatKind, string> = {
  outreach: "Outreach",
  followup: "Follow-ups",
  reply: "Replies",
  call: "Calls",
};
const COLOURS: Record<StatKind, string> = {
  outreach: "#166534",
  followup: "#1d4ed8",
  reply: "#b45309",
  call: "#7e22ce",
};

const label = (d: LocalDate) =>
  `${d.day} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.month - 1] ?? ""}`;

function Chart(props: { weeks: LocalDate[]; counts: Record<StatKind, number[]> }) {
  const width = 640;
  const height = 220;
  const top = 10;
  const bottom = 30;
  const slot = width / props.weeks.length;
  const bar = (slot - 8) / STAT_KINDS.length;
  const max = Math.max(1, ...STAT_KINDS.flatMap((k) => props.counts[k]));
  const scale = (n: number) => ((height - top - bottom) * n) / max;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby="chart-title chart-desc"
    >
      <title id="chart-title">Activity per week, last {props.weeks.length} weeks</title>
      <desc id="chart-desc">
        Bars for outreach, follow-ups, replies and calls in each week; the table below has the
        numbers.
      </desc>
      <line x1="0" x2={width} y1={height - bottom} y2={height - bottom} stroke="#6b7280" />
      {props.weeks.map((w, i) => (
        <g>
          {STAT_KINDS.map((k, j) => {
            const h = scale(props.counts[k][i] ?? 0);
            return (
              <rect
                x={i * slot + 4 + j * bar}
                y={height - bottom - h}
                width={bar - 1}
                height={h}
                fill={COLOURS[k]}
              />
            );
          })}
          {i % 3 === 0 ? (
            <text x={i * slot + 2} y={height - 10} font-size="18" fill="#374151">
              {label(w)}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}

statsRoutes.get("/stats", async (c) => {
  const user = c.get("user");
  if (user === null) return failurePage(c, { kind: "signed-out" });
  const today = toLocal(new Date(c.get("now")), user.timeZone);
  const monday = addDays(today, -((today.weekday + 6) % 7));
  const weeks = Array.from({ length: WEEKS }, (_, i) => addDays(monday, (i - WEEKS + 1) * 7));
  const first = weeks[0] ?? monday;
  const start = atLocalMinutes(first, 0, user.timeZone).getTime();
  const counts = await weeklyCounts(c.get("db"), user.id, start, WEEKS);
  return c.html(
    <Layout title="Your outreach" user={user}>
      <p>Weeks start on Monday, in {user.timeZone}.</p>
      <ul class="legend" aria-hidden="true">
        {STAT_KINDS.map((k) => (
          <li>
            <span class={`swatch s-${k}`} />
            {LABELS[k]}
          </li>
        ))}
      </ul>
      <Chart weeks={weeks} counts={counts} />
      <h2>The numbers</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            {STAT_KINDS.map((k) => (
              <th scope="col">{LABELS[k]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((w, i) => (
            <tr>
              <th scope="row">{label(w)}</th>
              {STAT_KINDS.map((k) => (
                <td>{counts[k][i] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>,
  );
});
