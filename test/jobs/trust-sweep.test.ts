import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { deliver, mime, uniqueId } from "../helpers/email";
import { DAY, wipe } from "../helpers/scenario";

// The cron entry point (worker.scheduled) deletes what sign-up and the answer limits leave
// behind (SPEC section 9): held mail and links after 7 days, answer-limit rows after a day.

const T0 = Date.parse("2026-03-03T10:00:00Z");

beforeEach(async () => {
  await wipe();
});

/** Runs the cron entry at `at`, the real clock there too (retention never runs ahead of it). */
async function scheduledAt(at: number) {
  vi.setSystemTime(at);
  const ctx = createExecutionContext();
  const handler: ExportedHandler<Env> = worker;
  await handler.scheduled?.(
    createScheduledController({ scheduledTime: at, cron: "* * * * *" }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

async function count(table: string): Promise<number> {
  return (
    (await env.DB.prepare(`select count(*) as n from ${table}`).first<{ n: number }>())?.n ?? 0
  );
}

describe("worker.scheduled sweeps sign-up leftovers", () => {
  it("keeps a pending address's mail and link for 7 days, then deletes them and the spent budgets", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(T0);
      const from = "sam@newcomer.example";
      const record = await deliver(mime({ from, messageId: uniqueId() }), {
        from,
        to: "3d@sprout.test",
      });
      expect(record.rejected).toBeNull();
      expect([
        await count("signup_holds"),
        await count("signup_links"),
        await count("answer_log"),
      ]).toEqual([1, 1, 2]);
      await scheduledAt(T0 + DAY + 60_000);
      // A day on: the budget rows are spent and gone; the hold and the link stay.
      expect([
        await count("signup_holds"),
        await count("signup_links"),
        await count("answer_log"),
      ]).toEqual([1, 1, 0]);
      await scheduledAt(T0 + 7 * DAY + 60_000);
      expect([await count("signup_holds"), await count("signup_links")]).toEqual([0, 0]);
    } finally {
      vi.useRealTimers();
    }
  });
});
