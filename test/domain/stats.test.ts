import { describe, expect, it } from "vitest";
import {
  answersAfterFollowingUp,
  countByGroup,
  type FollowUpGroup,
  responseByFollowUp,
  statusGroup,
} from "../../src/domain/stats";

const g = (followUps: number, threads: number, answered: number, waiting = 0): FollowUpGroup => ({
  followUps,
  threads,
  answered,
  waiting,
});

describe("responseByFollowUp", () => {
  it("is empty-handed without threads", () => {
    expect(responseByFollowUp([])).toEqual([
      { followUps: 0, orMore: false, reached: 0, answered: 0, waiting: 0, rate: null },
    ]);
  });

  it("counts a thread as reached up to its follow-ups and answered only at the last", () => {
    // 10 threads: 4 answered to the outreach, 3 after follow-up 1 (1 more waits there),
    // 1 after follow-up 2, 1 never answered after 2.
    const rows = responseByFollowUp([g(0, 4, 4), g(1, 4, 3, 1), g(2, 2, 1)]);
    expect(rows).toEqual([
      { followUps: 0, orMore: false, reached: 10, answered: 4, waiting: 0, rate: 0.4 },
      { followUps: 1, orMore: false, reached: 6, answered: 3, waiting: 1, rate: 0.6 },
      { followUps: 2, orMore: false, reached: 2, answered: 1, waiting: 0, rate: 0.5 },
    ]);
    expect(answersAfterFollowingUp(rows)).toEqual({ answered: 8, afterFollowUp: 4 });
  });

  it("leaves threads still waiting out of the rate, and says so when none has settled", () => {
    expect(responseByFollowUp([g(0, 3, 0, 3)])).toEqual([
      { followUps: 0, orMore: false, reached: 3, answered: 0, waiting: 3, rate: null },
    ]);
  });

  it("puts 5 or more follow-ups in one last row, and skips no row in between", () => {
    const rows = responseByFollowUp([g(0, 1, 0), g(3, 1, 1), g(5, 1, 1), g(9, 2, 0, 1)]);
    expect(rows.map((r) => [r.followUps, r.orMore, r.reached, r.answered, r.waiting])).toEqual([
      [0, false, 5, 0, 0],
      [1, false, 4, 0, 0],
      [2, false, 4, 0, 0],
      [3, false, 4, 1, 0],
      [4, false, 3, 0, 0],
      [5, true, 3, 1, 1],
    ]);
    expect(rows[5]?.rate).toBe(0.5);
  });

  it("ignores nonsense counts a query could not produce", () => {
    expect(responseByFollowUp([g(-1, 1, 1)])[0]?.answered).toBe(1);
  });
});

describe("threads by status", () => {
  it.each([
    ["scheduled", "waiting"],
    ["unscheduled", "waiting"],
    ["replied", "replied"],
    ["met", "replied"],
    ["dormant", "dormant"],
    ["stopped", "stopped"],
    ["something-new", null],
  ])("%s is %s", (status, group) => {
    expect(statusGroup(status)).toBe(group);
  });

  it("adds up stored statuses into the four groups", () => {
    expect(
      countByGroup([
        { status: "scheduled", n: 3 },
        { status: "unscheduled", n: 1 },
        { status: "met", n: 2 },
        { status: "replied", n: 5 },
        { status: "stopped", n: 1 },
        { status: "bogus", n: 9 },
      ]),
    ).toEqual({ waiting: 4, replied: 7, dormant: 0, stopped: 1 });
  });
});
