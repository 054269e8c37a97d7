// The figures of the stats page that show whether following up pays (SPEC 6): the response
// rate by follow-up number, and the threads by status. Pure: db/stats.ts counts, this decides.

/** Threads grouped by how many follow-ups they got before their first answer. */
export interface FollowUpGroup {
  /** Follow-ups the user sent before the contact's first answer (all of them if none). */
  followUps: number;
  threads: number;
  /** Of those threads, how many were answered (a reply or a call) at this point. */
  answered: number;
  /** Of those threads, how many are unanswered and still have a reminder coming. */
  waiting: number;
}

/** One row of the response-rate table: what happened to threads after k follow-ups. */
export interface ResponseRow {
  /** k: 0 is the outreach alone; the last row is "k or more" when `orMore` is set. */
  followUps: number;
  orMore: boolean;
  /** Threads that got at least k follow-ups without an answer before the k-th. */
  reached: number;
  /** Of those, the ones answered before a (k+1)-th follow-up. */
  answered: number;
  /** Of those, the ones still waiting at k: no answer and no (k+1)-th follow-up yet. */
  waiting: number;
  /** answered / (reached - waiting), 0..1; null when no thread got this far and settled. */
  rate: number | null;
}

/** Follow-up numbers from this one on share a row ("5 or more"). */
export const LAST_FOLLOW_UP_ROW = 5;

/**
 * The response rate by follow-up number. Of the threads that reached k follow-ups (the
 * outreach alone for k = 0) and are settled at k, the share answered before a (k+1)-th
 * follow-up. A thread answered after 2 follow-ups counts as reached for k = 0, 1, 2 and as
 * answered for k = 2 only; a thread never answered counts as reached up to its number of
 * follow-ups. A thread still waiting at k (no answer, a reminder still coming) is not settled
 * there yet: it is left out of row k's rate, so recent outreach does not pull the rate down.
 * Rows stop after the last k any thread reached; k >= LAST_FOLLOW_UP_ROW share the last row.
 */
export function responseByFollowUp(groups: readonly FollowUpGroup[]): ResponseRow[] {
  const last = LAST_FOLLOW_UP_ROW;
  const sum = (pick: (g: FollowUpGroup) => number, k: number) =>
    groups
      .filter((g) => Math.min(Math.max(0, Math.floor(g.followUps)), last) === k)
      .reduce((n, g) => n + pick(g), 0);
  const rows: ResponseRow[] = [];
  let reached = groups.reduce((n, g) => n + g.threads, 0);
  for (let k = 0; k <= last; k++) {
    if (k > 0 && reached === 0) break;
    const answered = sum((g) => g.answered, k);
    const waiting = sum((g) => g.waiting, k);
    const settled = reached - waiting;
    rows.push({
      followUps: k,
      orMore: k === last,
      reached,
      answered,
      waiting,
      rate: settled === 0 ? null : answered / settled,
    });
    reached -= sum((g) => g.threads, k);
  }
  return rows;
}

/** How many answers came only after at least one follow-up, of all answers. */
export function answersAfterFollowingUp(rows: readonly ResponseRow[]): {
  answered: number;
  afterFollowUp: number;
} {
  const answered = rows.reduce((n, r) => n + r.answered, 0);
  return { answered, afterFollowUp: answered - (rows[0]?.answered ?? 0) };
}

/** The four groups of threads the stats page counts. */
export const STATUS_GROUPS = ["waiting", "replied", "dormant", "stopped"] as const;
export type StatusGroup = (typeof STATUS_GROUPS)[number];

/**
 * Which group a stored thread status belongs to: waiting (a reminder is scheduled, or a
 * time is still to be given), replied (a reply or a call), dormant (the cadence ran out),
 * stopped (by the user).
 */
export function statusGroup(status: string): StatusGroup | null {
  switch (status) {
    case "scheduled":
    case "unscheduled":
      return "waiting";
    case "replied":
    case "met":
      return "replied";
    case "dormant":
      return "dormant";
    case "stopped":
      return "stopped";
    default:
      return null;
  }
}

/** Counts per group from counts per stored status (unknown statuses are left out). */
export function countByGroup(
  byStatus: readonly { status: string; n: number }[],
): Record<StatusGroup, number> {
  const out: Record<StatusGroup, number> = { waiting: 0, replied: 0, dormant: 0, stopped: 0 };
  for (const { status, n } of byStatus) {
    const group = statusGroup(status);
    if (group !== null) out[group] += n;
  }
  return out;
}
