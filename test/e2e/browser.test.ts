// A real browser (Debian's Chromium, driven by playwright-core) against `wrangler dev`, as
// one user's story told in order: sign in through the link in the dev outbox, act on
// threads, change settings, follow a reminder's link, read the stats, export, delete. The
// CSP stays on throughout: axe-core is injected through the DevTools protocol
// (page.evaluate), which a page's CSP does not govern, so the test also proves the pages
// work under the policy real users get.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, outbox, outreach, postEmail, runCron, startDev } from "./harness";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.log(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}
const SHOTS = resolve(import.meta.dirname, "../../test-artifacts/screenshots");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const ME = "me@example.com";
const HOSTILE = "<img src=x onerror=alert(1)>";
const SECOND = "Coffee in March?";

/**
 * Everything one run of the story touches, handed to each step explicitly: the page, the dev
 * server, and what the page reported along the way (dialogs, CSP errors).
 */
interface Story {
  server: DevServer;
  page: Page;
  dialogs: string[];
  cspErrors: string[];
}

/** The page as a picture, for people reviewing the run (test-artifacts/, not committed). */
async function shot(story: Story, name: string) {
  await story.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Serious or critical WCAG 2.1 A/AA violations axe-core finds on the current page. */
async function axeViolations(story: Story): Promise<string[]> {
  await story.page.evaluate(AXE);
  const result = await story.page.evaluate(async () => {
    type Rule = { id: string; impact: string | null; help: string };
    type AxeResult = { violations: Rule[]; passes: Rule[] };
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResult> } }).axe;
    return axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
  });
  // A run that checked nothing would pass vacuously.
  expect(result.passes.length).toBeGreaterThan(5);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help}`);
}

/** Clicks something that submits or navigates, and waits for the next page to load. */
async function go(story: Story, locator: Locator) {
  await Promise.all([story.page.waitForEvent("load"), locator.click()]);
}

const h1 = (story: Story) => story.page.locator("h1").textContent();
const status = (story: Story) => story.page.getByRole("status").textContent();

/** Opens a link from an email on this dev server (links carry PUBLIC_URL's origin). */
const local = (story: Story, link: string) => {
  const u = new URL(link);
  return `${story.server.url}${u.pathname}${u.search}`;
};

/** Each row of the table under a heading: its header cell, then its data cells. */
async function tableUnder(story: Story, headingId: string): Promise<string[][]> {
  return story.page
    .locator(`table[aria-labelledby="${headingId}"] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent?.trim() ?? "")),
    );
}

// Step 1. Two outreach messages arrive by email, then the user signs in through the emailed
// link: GET shows a button, POST signs in.
async function signIn(story: Story) {
  for (const [id, subject] of [
    ["browser-1@example.com", HOSTILE],
    ["browser-2@example.com", SECOND],
  ]) {
    const posted = await postEmail(
      story.server,
      outreach(id ?? "", subject ?? ""),
      ME,
      "follow@sprout.localhost",
    );
    expect(posted.status).toBeLessThan(300);
  }
  const { page, server } = story;
  await page.goto(`${server.url}/`);
  expect(await h1(story)).toContain("Sprout");
  expect(await page.content()).toContain("follow@sprout.localhost");
  await shot(story, "landing");
  expect(await axeViolations(story)).toEqual([]);

  await go(story, page.getByRole("link", { name: "Sign in", exact: true }));
  await page.getByLabel("Your email address").fill(ME);
  await shot(story, "login");
  expect(await axeViolations(story)).toEqual([]);
  await go(story, page.getByRole("button", { name: "Email me a sign-in link" }));
  expect(await h1(story)).toBe("Check your email");
  await shot(story, "login-sent");

  const mail = (await outbox(server)).find(
    (m) => m.to === ME && m.subject === "Your Sprout sign-in link",
  );
  const link = /http\S+\/login\/confirm\?token=[a-z2-7]+/.exec(mail?.text ?? "")?.[0];
  expect(link).toBeDefined();
  await page.goto(local(story, link ?? ""));
  expect(await page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
  await shot(story, "login-confirm");
  await go(story, page.getByRole("button", { name: "Sign in" }));
  expect(page.url()).toBe(`${server.url}/threads`);
  expect(await h1(story)).toBe("Your threads");
}

// Step 2. The hostile subject shows as text and fires no dialog; the user counts a follow-up
// on that thread and marks the second one answered.
async function actOnThreads(story: Story) {
  const { page } = story;
  expect(await page.getByRole("heading", { name: HOSTILE }).isVisible()).toBe(true);
  expect(await page.locator("main img").count()).toBe(0);
  await shot(story, "threads");
  expect(await axeViolations(story)).toEqual([]);
  const card = (subject: string) => page.getByRole("article", { name: subject });
  await go(story, card(HOSTILE).getByRole("button", { name: "I followed up" }));
  expect(await status(story)).toContain("Counted your follow-up");
  await shot(story, "thread-done");
  await go(story, page.getByRole("link", { name: "Back to your threads" }));
  await go(story, card(SECOND).getByRole("button", { name: "They replied" }));
  expect(await status(story)).toContain("Marked as replied");
  expect(story.dialogs).toEqual([]);
}

// Step 3. Settings change and stick; then everything resumes so the cron run sends.
async function changeSettings(story: Story) {
  const { page, server } = story;
  await page.goto(`${server.url}/settings`);
  expect(await axeViolations(story)).toEqual([]);
  await page.getByLabel("Time zone").selectOption("Europe/Berlin");
  await page.getByLabel("Reminder time").fill("09:30");
  await page.getByLabel("Skip weekends").uncheck();
  await page.getByLabel("Cadence").fill("2d, 1w");
  await page.getByLabel("Pause everything").check();
  await go(story, page.getByRole("button", { name: "Save settings" }));
  expect(await status(story)).toContain("Settings saved.");
  await page.reload({ waitUntil: "load" });
  expect(await page.getByLabel("Time zone").inputValue()).toBe("Europe/Berlin");
  expect(await page.getByLabel("Reminder time").inputValue()).toBe("09:30");
  expect(await page.getByLabel("Skip weekends").isChecked()).toBe(false);
  expect(await page.getByLabel("Cadence").inputValue()).toBe("2d, 1w");
  expect(await page.getByLabel("Pause everything").isChecked()).toBe(true);
  await shot(story, "settings");
  await page.getByLabel("Pause everything").uncheck();
  await go(story, page.getByRole("button", { name: "Save settings" }));
  expect(await status(story)).toContain("Settings saved.");
}

// Step 4. A cron run sends the followed-up thread's reminder; its snooze link opens a
// confirmation page, and the button snoozes.
async function followReminderLink(story: Story) {
  const { page, server } = story;
  const cron = await runCron(server, Date.now() + 30 * 86_400_000);
  expect(cron.status).toBeLessThan(300);
  const reminder = (await outbox(server)).find((m) => m.to === ME && m.text.includes("/snooze?s="));
  const link = /http\S+\/t\/[a-z0-9]+\/snooze\?s=[a-z2-7]+/.exec(reminder?.text ?? "")?.[0];
  expect(link).toBeDefined();
  await page.goto(local(story, link ?? ""));
  expect(await page.getByLabel("Snooze until").inputValue()).toBe("1w");
  await shot(story, "reminder-link");
  expect(await axeViolations(story)).toEqual([]);
  await go(story, page.getByRole("button", { name: "Snooze" }));
  expect(await status(story)).toContain("Snoozed");
}

// Step 5. The stats page: the weekly chart, the response rate by follow-up number and the
// threads by status, each as a chart and a table. The followed-up thread waits at follow-up
// 1; the other was answered after the outreach alone.
async function readStats(story: Story) {
  const { page, server } = story;
  await page.goto(`${server.url}/stats`);
  for (const title of ["chart-title", "rate-title", "status-title"]) {
    expect(await page.locator(`svg.chart:has(title#${title})`).isVisible()).toBe(true);
  }
  expect(
    await page.getByText("Of your 1 answer, 0 came only after you followed up.").isVisible(),
  ).toBe(true);
  expect(await tableUnder(story, "rate")).toEqual([
    ["Outreach alone", "2", "1", "0", "50%"],
    ["Follow-up 1", "1", "0", "1", "–"],
  ]);
  expect(await tableUnder(story, "status")).toEqual([
    ["Waiting", "1"],
    ["Replied (or met)", "1"],
    ["Dormant", "0"],
    ["Stopped", "0"],
  ]);
  await shot(story, "stats");
  expect(await axeViolations(story)).toEqual([]);
}

// Step 6. Export as JSON: the download holds both threads, the hostile subject as data.
async function exportJson(story: Story) {
  const { page, server } = story;
  await page.goto(`${server.url}/settings`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export everything as JSON" }).click(),
  ]);
  const saved = await download.path();
  const data = JSON.parse(readFileSync(saved, "utf8")) as {
    user: { email: string };
    threads: { subject: string }[];
  };
  expect(data.user.email).toBe(ME);
  expect(data.threads.map((t) => t.subject).sort()).toEqual([HOSTILE, SECOND].sort());
}

// Step 7. Delete the account after the confirmation step: signed out, nothing left.
async function deleteAccount(story: Story) {
  const { page, server } = story;
  await page.goto(`${server.url}/account/delete`);
  await shot(story, "delete");
  expect(await axeViolations(story)).toEqual([]);
  await page.getByLabel("Type your email address to confirm").fill(ME);
  await go(story, page.getByRole("button", { name: "Delete my account" }));
  expect(await h1(story)).toBe("Account deleted");
  await page.goto(`${server.url}/threads`);
  expect(await h1(story)).toBe("Sign in to continue");
  const threads = (await (await fetch(`${server.url}/dev/threads.json`)).json()) as {
    threads: unknown[];
  };
  expect(threads.threads).toEqual([]);
}

describe.skipIf(!HAS_CHROMIUM)("the web page in a real browser", () => {
  // Resources only: a dev server with a fresh database and a browser with a fresh profile,
  // made before the story and always cleaned up after it, even when it fails.
  let server: DevServer | undefined;
  let context: BrowserContext | undefined;
  const profile = mkdtempSync(join(tmpdir(), "sprout-chromium-"));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startDev({ OWNERS: ME, MAIL_DOMAIN: "sprout.localhost" });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
      acceptDownloads: true,
      viewport: { width: 390, height: 844 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  // One story, in order: each step starts from where the previous one left the browser and
  // the database, so they are steps of one test, not tests that depend on each other.
  it("a user signs in, acts on threads, changes settings, snoozes from a reminder, reads the stats, exports and deletes", async () => {
    if (server === undefined || context === undefined) throw new Error("set-up failed");
    const page = context.pages()[0] ?? (await context.newPage());
    const story: Story = { server, page, dialogs: [], cspErrors: [] };
    page.on("dialog", (d) => {
      story.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) story.cspErrors.push(m.text());
    });

    await signIn(story);
    await actOnThreads(story);
    await changeSettings(story);
    await followReminderLink(story);
    await readStats(story);
    await exportJson(story);
    await deleteAccount(story);

    expect(story.dialogs).toEqual([]);
    expect(story.cspErrors).toEqual([]);
  }, 300_000);
});
