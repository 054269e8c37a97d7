import { describe, expect, it } from "vitest";
import { SWEEPS, sweepSelectSql } from "../../src/db/retention";
import { queryPlan } from "../helpers/plan";

describe("retention sweeps", () => {
  it("has a sweep for each kind of expiring data SPEC section 9 names so far, and sent mail", () => {
    expect(SWEEPS.map((s) => s.name)).toEqual([
      "inbound",
      "login-tokens",
      "sessions-expired",
      "sessions-idle",
      "notices",
      "deliveries-sent",
      "signup-holds",
      "signup-links",
      "answer-log",
      "deliveries-suppressed",
      "webhook-events",
    ]);
  });

  it.each(SWEEPS.map((s) => [s.name, s] as const))(
    "%s deletes through an index on its cut-off column",
    async (_name, sweep) => {
      const plan = await queryPlan(sweepSelectSql(sweep), [Date.now(), 500]);
      expect(plan).toMatch(
        new RegExp(
          `^SEARCH ${sweep.table} USING (COVERING )?INDEX \\w+ \\(${sweep.column}<\\?\\)$`,
        ),
      );
      expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
    },
  );
});
