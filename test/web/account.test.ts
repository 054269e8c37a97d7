import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openDb, runBatch } from "../../src/db/client";
import { recordEvent } from "../../src/db/events";
import { deliver } from "../helpers/email";
import { cookieFor, countWhere, makeThread, makeUser, rowWhere, web } from "./helpers";

const USER_TABLES = ["threads", "thread_messages", "events", "sessions", "login_tokens"];

describe("export and delete", () => {
  it("exports every thread and event as JSON and CSV", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const id = await makeThread(user.id, { subject: '=HYPERLINK("x"), "quoted"' });
    const db = openDb(env.DB);
    await runBatch(db, [
      recordEvent(db, {
        userId: user.id,
        threadId: id,
        kind: "outreach",
        source: "email",
        at: Date.UTC(2031, 0, 1),
      }),
    ]);
    const json = await web("/export.json", { cookie });
    expect(json.res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="sprout-export-\d{4}-\d\d-\d\d\.json"$/,
    );
    const data = JSON.parse(json.text) as {
      user: { email: string };
      threads: { id: string; contacts: { address: string }[] }[];
      events: { kind: string; at: string }[];
    };
    expect(data.user.email).toBe(user.email);
    expect(data.threads.map((t) => t.id)).toEqual([id]);
    expect(data.threads[0]?.contacts[0]?.address).toBe("jane@example.org");
    expect(data.events).toEqual([
      { threadId: id, kind: "outreach", source: "email", at: "2031-01-01T00:00:00.000Z" },
    ]);

    const csv = await web("/export/threads.csv", { cookie });
    expect(csv.res.headers.get("Content-Type")).toContain("text/csv");
    const lines = csv.text.split("\r\n");
    expect(lines[0]).toBe(
      "id,subject,contacts,status,kind,address,sentAt,nextReminder,step,snippet",
    );
    // Quoted per RFC 4180, and defused so a spreadsheet does not run it as a formula.
    expect(lines[1]).toContain(`${id},"'=HYPERLINK(""x""), ""quoted""",jane@example.org,scheduled`);
    const events = await web("/export/events.csv", { cookie });
    expect(events.text).toBe(
      `at,kind,source,threadId\r\n2031-01-01T00:00:00.000Z,outreach,email,${id}\r\n`,
    );
  });

  it("quotes a subject that a `;` spreadsheet would split into formulas (issue 9)", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const id = await makeThread(user.id, { subject: "Hello;=1+2;@SUM(1;2)" });
    const csv = await web("/export/threads.csv", { cookie });
    expect(csv.text.split("\r\n")[1]).toContain(`${id},"Hello;=1+2;@SUM(1;2)",jane@example.org,`);
  });

  it("exports the mail Sprout sent with each subject, and never the mail itself", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    await web("/login", { form: { email: user.email } });
    const json = await web("/export.json", { cookie });
    const data = JSON.parse(json.text) as { mail: { kind: string; subject: string }[] };
    expect(data.mail).toEqual([
      expect.objectContaining({ kind: "login", subject: "Your Sprout sign-in link" }),
    ]);
    expect(json.text).not.toContain("/login/confirm?token=");
  });

  it("deletes nothing without the typed confirmation", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user.id);
    const page = await web("/account/delete", { cookie });
    expect(page.text).toContain('<label for="confirm">');
    const res = await web("/account/delete", { cookie, form: { confirm: "someone@else.org" } });
    expect(res.status).toBe(400);
    expect(await rowWhere("users", "id", user.id)).not.toBeNull();
  });

  it("deletes the account and every row that belongs to it, and no one else's", async () => {
    const user = await makeUser();
    const other = await makeUser();
    const cookie = await cookieFor(user.id);
    const keep = await makeThread(other.id);
    await makeThread(user.id);
    await web("/login", { form: { email: user.email } });
    const db = openDb(env.DB);
    await runBatch(db, [
      recordEvent(db, {
        userId: user.id,
        threadId: null,
        kind: "outreach",
        source: "email",
        at: 1,
      }),
    ]);
    for (const table of [...USER_TABLES, "deliveries"]) {
      expect(await countWhere(table, "user_id", user.id), table).toBeGreaterThan(0);
    }
    const res = await web("/account/delete", {
      cookie,
      form: { confirm: user.email.toUpperCase() },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Your account and all its data are gone");
    expect(res.res.headers.get("Set-Cookie")).toContain("Max-Age=0");
    for (const table of [...USER_TABLES, "deliveries", "inbound"]) {
      expect(await countWhere(table, "user_id", user.id), table).toBe(0);
    }
    expect(await countWhere("users", "id", user.id)).toBe(0);
    expect(await countWhere("dev_outbox", "to_address", user.email)).toBe(0);
    expect(await countWhere("notices", "key", `login:${user.email}`)).toBe(0);
    expect(await countWhere("answer_log", "key", `login:${user.email}`)).toBe(0);
    expect(await rowWhere("threads", "id", keep)).not.toBeNull();
    expect((await web("/threads", { cookie })).status).toBe(401);
  });

  it("deletes what Sprout kept of the address before it was a user: holds, links, records, limits", async () => {
    const email = `newcomer-${crypto.randomUUID().slice(0, 8)}@example.net`;
    const raw = (id: string) =>
      `From: ${email}\r\nTo: jane@example.org\r\nSubject: Hi\r\nMessage-ID: <${id}@example.net>\r\n\r\nHello\r\n`;
    for (const id of ["a", "b"]) {
      await deliver(raw(`${id}-${email}`), { from: email, to: "3d@sprout.test" });
    }
    // One refused as unauthenticated, before the address was a user.
    await deliver(raw(`c-${email}`), { from: email, to: "3d@sprout.test", stamp: "none" });
    expect(await countWhere("inbound", "header_from", email)).toBe(3);
    expect(await countWhere("signup_holds", "email", email)).toBe(2);
    // The user confirms through the form's link, and a second link waits unused.
    await web("/login", { form: { email } });
    const user = await makeUser({ email });
    await env.DB.prepare(
      "insert into signup_holds (id, email, envelope_from, envelope_to, raw_base64, bytes, received_at, expires_at) values ('late', ?, ?, '3d@sprout.test', '', 0, 0, 9e15)",
    )
      .bind(email, email)
      .run();
    expect(await countWhere("signup_links", "email", email)).toBe(1);
    expect(await countWhere("answer_log", "key", `signup:${email}`)).toBe(1);
    const cookie = await cookieFor(user.id);
    const res = await web("/account/delete", { cookie, form: { confirm: email } });
    expect(res.status).toBe(200);
    for (const [table, column, value] of [
      ["inbound", "header_from", email],
      ["signup_holds", "email", email],
      ["signup_links", "email", email],
      ["answer_log", "key", `signup:${email}`],
    ] as const) {
      expect(await countWhere(table, column, value), table).toBe(0);
    }
  });
});
