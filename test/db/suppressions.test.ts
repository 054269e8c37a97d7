import { describe, expect, it } from "vitest";
import { MARK_UNSENT_SQL } from "../../src/db/deliveries";
import { SWEEPS, sweepSelectSql } from "../../src/db/retention";
import { DIGEST_OFF_SQL, SUPPRESS_SQL, SUPPRESSED_AMONG_SQL } from "../../src/db/suppressions";
import { queryPlan } from "../helpers/plan";

// The suppression list's queries stay index searches whatever the size of the tables
// (SPEC section 10): the send path's lookup runs once for every request of up to 100.
const list = JSON.stringify(["a@example.com", "b@example.com"]);

describe("query plans", () => {
  it("the send path's lookup is a primary-key search per address, never a scan of the list", async () => {
    const plan = await queryPlan(SUPPRESSED_AMONG_SQL, [list]);
    expect(plan).toContain("SEARCH suppressions USING PRIMARY KEY (address=?)");
    expect(plan).not.toMatch(/SCAN suppressions/);
  });

  it("marking deliveries unsent finds each by its primary key", async () => {
    const plan = await queryPlan(MARK_UNSENT_SQL, [list, "suppressed", "why"]);
    expect(plan).toMatch(/SEARCH deliveries USING INDEX sqlite_autoindex_deliveries_1 \(id=\?\)/);
    expect(plan).not.toMatch(/SCAN deliveries/);
  });

  it("recording an event looks up its id and each user by index", async () => {
    const suppress = await queryPlan(SUPPRESS_SQL, [
      list,
      "msg_1",
      "bounce",
      "email.bounced",
      "",
      null,
      1,
    ]);
    expect(suppress).toContain("SEARCH webhook_events USING PRIMARY KEY (id=?)");
    expect(suppress).not.toMatch(/SCAN (webhook_events|suppressions)/);
    const digestOff = await queryPlan(DIGEST_OFF_SQL, [list, "msg_1"]);
    expect(digestOff).toMatch(
      /SEARCH users USING (COVERING )?INDEX sqlite_autoindex_users_\d \(email=\?\)/,
    );
    expect(digestOff).toContain("SEARCH webhook_events USING PRIMARY KEY (id=?)");
    expect(digestOff).not.toMatch(/SCAN (users|webhook_events)/);
  });

  it("the webhook-id sweep and the suppressed-deliveries sweep are index searches", async () => {
    const plans = await Promise.all(
      ["webhook-events", "deliveries-suppressed"].map((name) => {
        const sweep = SWEEPS.find((s) => s.name === name);
        if (sweep === undefined) throw new Error(`no sweep ${name}`);
        return queryPlan(sweepSelectSql(sweep), [Date.now(), 500]);
      }),
    );
    expect(plans).toEqual([
      "SEARCH webhook_events USING COVERING INDEX webhook_events_received (received_at<?)",
      "SEARCH deliveries USING COVERING INDEX deliveries_suppressed (created_at<?)",
    ]);
  });
});
