// The stats page's charts: plain server-rendered SVG (no JavaScript), each with a title and
// a description, and each followed on the page by a table holding the same numbers.
import { STAT_KINDS, type StatKind } from "../db/stats";
import type { ResponseRow, StatusGroup } from "../domain/stats";
import { STATUS_GROUPS } from "../domain/stats";
import type { LocalDate } from "../domain/zoned-time";

/** What each activity is called on the page. */
export const KIND_LABELS: Record<StatKind, string> = {
  outreach: "Outreach",
  followup: "Follow-ups",
  reply: "Replies",
  call: "Calls",
};
const KIND_COLOURS: Record<StatKind, string> = {
  outreach: "#166534",
  followup: "#1d4ed8",
  reply: "#b45309",
  call: "#7e22ce",
};

/** What each group of threads is called on the page. */
export const STATUS_LABELS: Record<StatusGroup, string> = {
  waiting: "Waiting",
  replied: "Replied (or met)",
  dormant: "Dormant",
  stopped: "Stopped",
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "9 Mar": a week's first day. */
export const weekLabel = (d: LocalDate) => `${d.day} ${MONTHS[d.month - 1] ?? ""}`;

/** A row of the response rate: "Outreach alone", "Follow-up 2", "5+ follow-ups". */
export function followUpLabel(row: Pick<ResponseRow, "followUps" | "orMore">): string {
  if (row.followUps === 0) return "Outreach alone";
  return row.orMore ? `${row.followUps}+ follow-ups` : `Follow-up ${row.followUps}`;
}

/** "42%", or "–" when no thread got this far and settled. */
export const percent = (rate: number | null) =>
  rate === null ? "–" : `${Math.round(rate * 100)}%`;

/** Outreach, follow-ups, replies and calls per week, as grouped bars. */
export function WeeklyChart(props: { weeks: LocalDate[]; counts: Record<StatKind, number[]> }) {
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
                fill={KIND_COLOURS[k]}
              />
            );
          })}
          {i % 3 === 0 ? (
            <text x={i * slot + 2} y={height - 10} font-size="18" fill="#374151">
              {weekLabel(w)}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}

/** The response rate by follow-up number, one labelled bar per row of the table. */
export function ResponseChart(props: { rows: ResponseRow[] }) {
  // Narrow, so that its 16-unit text stays readable when a phone scales it down.
  const width = 400;
  const rowHeight = 30;
  const labelWidth = 140;
  const barRoom = width - labelWidth - 50;
  const height = rowHeight * props.rows.length + 8;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby="rate-title rate-desc"
    >
      <title id="rate-title">Response rate by follow-up number</title>
      <desc id="rate-desc">
        For the outreach alone and after each follow-up, the share of threads answered before the
        next follow-up; the table below has the numbers.
      </desc>
      {props.rows.map((row, i) => {
        const y = 4 + i * rowHeight;
        const w = Math.round(barRoom * (row.rate ?? 0));
        return (
          <g>
            <text x="0" y={y + 19} font-size="16" fill="#111827">
              {followUpLabel(row)}
            </text>
            <rect x={labelWidth} y={y + 4} width={w} height={rowHeight - 10} fill="#166534" />
            <text x={labelWidth + w + 6} y={y + 19} font-size="16" fill="#111827">
              {percent(row.rate)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Threads per status group, one labelled bar each. */
export function StatusChart(props: { counts: Record<StatusGroup, number> }) {
  const width = 400;
  const rowHeight = 30;
  const labelWidth = 150;
  const barRoom = width - labelWidth - 50;
  const max = Math.max(1, ...STATUS_GROUPS.map((g) => props.counts[g]));
  const colours: Record<StatusGroup, string> = {
    waiting: "#1d4ed8",
    replied: "#166534",
    dormant: "#4b5563",
    stopped: "#b91c1c",
  };
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${rowHeight * STATUS_GROUPS.length + 8}`}
      role="img"
      aria-labelledby="status-title status-desc"
    >
      <title id="status-title">Threads by status</title>
      <desc id="status-desc">
        How many of your threads are waiting, replied, dormant or stopped; the table below has the
        numbers.
      </desc>
      {STATUS_GROUPS.map((group, i) => {
        const y = 4 + i * rowHeight;
        const w = Math.round((barRoom * props.counts[group]) / max);
        return (
          <g>
            <text x="0" y={y + 22} font-size="18" fill="#111827">
              {STATUS_LABELS[group]}
            </text>
            <rect
              x={labelWidth}
              y={y + 4}
              width={w}
              height={rowHeight - 10}
              fill={colours[group]}
            />
            <text x={labelWidth + w + 6} y={y + 22} font-size="18" fill="#111827">
              {props.counts[group]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
