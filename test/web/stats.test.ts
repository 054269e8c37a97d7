import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb, runBatch } from "../../src/db/client";
import { recordEvent } from "../../src/db/events";
import type { EventKind } from "../../src/db/schema";
import { cookieFor, makeThread, makeUser, web } from "./helpers";

/** The HTML between a heading and the next h2 (or the end of main). */
function section(html: string, heading: string): string {
  const start = html.indexOf(heading);
  if (start < 0) throw new Error(`no ${heading} on the page`);
  const end = html.indexOf("<h2", start + heading.length);
  return html.slice(start, end < 0 ? html.indexOf("</main>") : end);
}

/** Each table row's header cell and data cells, as text. */
function tableRows(html: string): string[][] {
  return [...html.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)].map(
    (m) => [m[1] ?? "", ...[...(m[2] ?? "").matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1] ?? "")],
  );
}

describe("the stats page", () => {
  // Moved from test/web/account.test.ts; the weekly table is now found by its heading.
  it("counts outreach, follow-ups, replies and calls per week in a chart and a table", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const db = openDb(env.DB);
    const now = Date.now();
    const event = (kind: "outreach" | "followup" | "reply" | "call" | "reminder", at: number) =>
      recordEvent(db, { userId: user.id, threadId: null, kind, source: "email", at });
    await runBatch(db, [
      event("outreach", now - 60_000),
      event("outreach", now - 120_000),
      event("followup", now - 60_000),
      event("reply", now - 60_000),
      event("reminder", now - 60_000),
      event("outreach", now - 400 * 86_400_000),
    ]);
    const res = await web("/stats", { cookie });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<svg class="chart"');
    expect(res.text).toContain('role="img"');
    const weekly = section(res.text, "<h2>The numbers</h2>");
    const rows = [...weekly.matchAll(/<tr><th scope="row">[^<]+<\/th>((?:<td>\d+<\/td>)+)<\/tr>/g)];
    expect(rows).toHaveLength(12);
    const last = rows[11]?.[1]?.match(/\d+/g);
    expect(last).toEqual(["2", "1", "1", "0"]);
    const total = rows.flatMap((r) => r[1]?.match(/\d+/g) ?? []).reduce((a, b) => a + Number(b), 0);
    expect(total).toBe(4);
  });

  it("shows the response rate by follow-up number and the threads by status", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const db = openDb(env.DB);
    const now = Date.now();
    const thread = async (status: string, kinds: EventKind[]) => {
      const id = await makeThread(user.id, { status: status as "scheduled" });
      await runBatch(
        db,
        kinds.map((kind, i) =>
          recordEvent(db, {
            userId: user.id,
            threadId: id,
            kind,
            source: "email",
            at: now - 9e6 + i * 1e5,
          }),
        ),
      );
    };
    await thread("replied", ["outreach", "reply"]);
    await thread("replied", ["outreach", "followup", "reply"]);
    await thread("met", ["outreach", "followup", "followup", "call"]);
    await thread("dormant", ["outreach", "followup", "followup"]);
    await thread("scheduled", ["outreach", "followup"]);
    await thread("scheduled", ["outreach"]);
    await thread("stopped", ["outreach"]);
    const res = await web("/stats", { cookie });
    expect(res.status).toBe(200);
    const rate = section(res.text, '<h2 id="rate">');
    expect(rate).toContain("Of your 3 answers, 2 came only after you followed up.");
    expect(rate).toContain('aria-labelledby="rate-title rate-desc"');
    // reached, answered, waiting, rate = answered / (reached - waiting)
    expect(tableRows(rate)).toEqual([
      ["Outreach alone", "7", "1", "1", "17%"], // 1 of 6 settled
      ["Follow-up 1", "4", "1", "1", "33%"], // 1 of 3
      ["Follow-up 2", "2", "1", "0", "50%"], // 1 of 2
    ]);
    const status = section(res.text, '<h2 id="status">');
    expect(status).toContain('aria-labelledby="status-title status-desc"');
    expect(tableRows(status)).toEqual([
      ["Waiting", "2"],
      ["Replied (or met)", "3"],
      ["Dormant", "1"],
      ["Stopped", "1"],
    ]);
    // Server-rendered: nothing needs a script.
    expect(res.text).not.toContain("<script");
  });

  it("says so when there is no outreach yet, and shows another user's threads to no one", async () => {
    const other = await makeUser();
    await makeThread(other.id, { status: "replied" });
    const user = await makeUser();
    const res = await web("/stats", { cookie: await cookieFor(user.id) });
    expect(res.text).toContain("No outreach yet");
    expect(tableRows(section(res.text, '<h2 id="status">'))).toEqual([
      ["Waiting", "0"],
      ["Replied (or met)", "0"],
      ["Dormant", "0"],
      ["Stopped", "0"],
    ]);
  });

  it("needs a session", async () => {
    const res = await web("/stats");
    expect(res.status).toBe(401);
    expect(res.text).not.toContain("Does following up pay?");
  });
});
