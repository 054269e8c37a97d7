import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { actionLink } from "../../src/domain/links";
import { BASE, makeThread, makeUser, rowWhere, web } from "./helpers";

const SECRET = env.SIGNING_SECRET ?? "";

async function linkPath(threadId: string, action: "done" | "replied" | "snooze" | "stop") {
  return (await actionLink(SECRET, BASE, threadId, action)).slice(BASE.length);
}

describe("a reminder's action links", () => {
  it.each([
    ["done", "Confirm: I followed up", "scheduled", "followup"],
    ["replied", "Confirm: They replied", "replied", "reply"],
    ["stop", "Confirm: Stop", "stopped", "stop"],
  ] as const)(
    "GET %s shows a button and changes nothing; POST acts without a session",
    async (action, button, status, event) => {
      const user = await makeUser();
      const id = await makeThread(user.id);
      const path = await linkPath(id, action);
      const shown = await web(path);
      expect(shown.status).toBe(200);
      expect(shown.text).toContain(button);
      expect(shown.text).toContain("Coffee next week?");
      expect((await rowWhere("threads", "id", id))?.status).toBe("scheduled");
      expect(await rowWhere("events", "thread_id", id)).toBeNull();

      const sig = new URL(`${BASE}${path}`).searchParams.get("s") ?? "";
      const acted = await web(`/t/${id}/${action}`, { form: { s: sig } });
      expect(acted.status).toBe(200);
      expect((await rowWhere("threads", "id", id))?.status).toBe(status);
      expect((await rowWhere("events", "thread_id", id))?.kind).toBe(event);
    },
  );

  it("snoozes one week by default, or to the time typed on the page", async () => {
    const user = await makeUser();
    const id = await makeThread(user.id);
    const path = await linkPath(id, "snooze");
    const shown = await web(path);
    expect(shown.text).toContain('name="when" value="1w"');
    const acted = await web(path, { form: { when: "" } });
    expect(acted.text).toContain("Snoozed");
    const due = Number((await rowWhere("threads", "id", id))?.due_at);
    expect(due - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect(due - Date.now()).toBeLessThan(9 * 86_400_000);
  });

  it.each([
    ["a forged signature", async (id: string) => `/t/${id}/stop?s=${"a".repeat(22)}`],
    [
      "another action's signature",
      async (id: string) => (await linkPath(id, "done")).replace("/done?", "/stop?"),
    ],
    [
      "another thread's signature",
      async (id: string) => (await linkPath("zzzzzzzzzz", "stop")).replace("zzzzzzzzzz", id),
    ],
    ["no signature", async (id: string) => `/t/${id}/stop`],
    ["an unknown action", async (id: string) => `/t/${id}/explode?s=${"a".repeat(22)}`],
  ])("refuses %s with a 403 page on GET and POST", async (_name, make) => {
    const user = await makeUser();
    const id = await makeThread(user.id);
    const path = await make(id);
    const shown = await web(path);
    expect(shown.status).toBe(403);
    expect(shown.text).toContain("This link is not valid");
    const acted = await web(path, { form: {} });
    expect(acted.status).toBe(403);
    expect((await rowWhere("threads", "id", id))?.status).toBe("scheduled");
  });

  it("refuses a cross-site POST of a valid link", async () => {
    const user = await makeUser();
    const id = await makeThread(user.id);
    const path = await linkPath(id, "stop");
    const res = await web(path, { form: {}, site: "cross-site" });
    expect(res.status).toBe(403);
    expect((await rowWhere("threads", "id", id))?.status).toBe("scheduled");
  });
});
