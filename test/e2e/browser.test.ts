// A real browser (Debian's Chromium, driven by playwright-core) against `wrangler dev`:
// sign in through the link in the dev outbox, act on a thread, change settings, follow a
// reminder's link, export, delete. The CSP stays on throughout: axe-core is injected
// through the DevTools protocol (page.evaluate), which a page's CSP does not govern, so
// the test also proves the pages work under the policy real users get.
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

let server: DevServer;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const cspErrors: string[] = [];
// A fresh --user-data-dir for every run: no cookies or cache from an earlier one.
const profile = mkdtempSync(join(tmpdir(), "sprout-chromium-"));

/** The page as a picture, for people reviewing the run (test-artifacts/, not committed). */
async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Serious or critical WCAG 2.1 A/AA violations axe-core finds on the current page. */
async function axeViolations(): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
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
async function go(locator: Locator) {
  await Promise.all([page.waitForEvent("load"), locator.click()]);
}

const h1 = () => page.locator("h1").textContent();
const status = () => page.getByRole("status").textContent();

/** Opens a link from an email on this dev server (links carry PUBLIC_URL's origin). */
const local = (link: string) => {
  const u = new URL(link);
  return `${server.url}${u.pathname}${u.search}`;
};

describe.skipIf(!HAS_CHROMIUM)("the web page in a real browser", () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startDev({ OWNERS: ME, MAIL_DOMAIN: "sprout.localhost" });
    const posted = await postEmail(
      server,
      outreach("browser-1@example.com", HOSTILE),
      ME,
      "follow@sprout.localhost",
    );
    expect(posted.status).toBeLessThan(300);
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
    page = context.pages()[0] ?? (await context.newPage());
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it("signs in through the emailed link: GET shows a button, POST signs in", async () => {
    await page.goto(`${server.url}/`);
    expect(await h1()).toContain("Sprout");
    expect(await page.content()).toContain("follow@sprout.localhost");
    await shot("landing");
    expect(await axeViolations()).toEqual([]);

    await go(page.getByRole("link", { name: "Sign in", exact: true }));
    await page.getByLabel("Your email address").fill(ME);
    await shot("login");
    expect(await axeViolations()).toEqual([]);
    await go(page.getByRole("button", { name: "Email me a sign-in link" }));
    expect(await h1()).toBe("Check your email");
    await shot("login-sent");

    const mail = (await outbox(server)).find(
      (m) => m.to === ME && m.subject === "Your Sprout sign-in link",
    );
    const link = /http\S+\/login\/confirm\?token=[a-z2-7]+/.exec(mail?.text ?? "")?.[0];
    expect(link).toBeDefined();
    await page.goto(local(link ?? ""));
    expect(await page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    await shot("login-confirm");
    await go(page.getByRole("button", { name: "Sign in" }));
    expect(page.url()).toBe(`${server.url}/threads`);
    expect(await h1()).toBe("Your threads");
  });

  it("shows a hostile subject as text, fires no dialog, and acts on the thread", async () => {
    expect(await page.getByRole("heading", { name: HOSTILE }).isVisible()).toBe(true);
    expect(await page.locator("main img").count()).toBe(0);
    await shot("threads");
    expect(await axeViolations()).toEqual([]);
    await go(page.getByRole("button", { name: "I followed up" }).first());
    expect(await status()).toContain("Counted your follow-up");
    await shot("thread-done");
    expect(dialogs).toEqual([]);
  });

  it("changes settings and they stick", async () => {
    await page.goto(`${server.url}/settings`);
    expect(await axeViolations()).toEqual([]);
    await page.getByLabel("Time zone").selectOption("Europe/Berlin");
    await page.getByLabel("Reminder time").fill("09:30");
    await page.getByLabel("Skip weekends").uncheck();
    await page.getByLabel("Cadence").fill("2d, 1w");
    await page.getByLabel("Pause everything").check();
    await go(page.getByRole("button", { name: "Save settings" }));
    expect(await status()).toContain("Settings saved.");
    await page.reload({ waitUntil: "load" });
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Europe/Berlin");
    expect(await page.getByLabel("Reminder time").inputValue()).toBe("09:30");
    expect(await page.getByLabel("Skip weekends").isChecked()).toBe(false);
    expect(await page.getByLabel("Cadence").inputValue()).toBe("2d, 1w");
    expect(await page.getByLabel("Pause everything").isChecked()).toBe(true);
    await shot("settings");
    // Resume, so the cron run below sends the reminder.
    await page.getByLabel("Pause everything").uncheck();
    await go(page.getByRole("button", { name: "Save settings" }));
    expect(await status()).toContain("Settings saved.");
  });

  it("follows a reminder's snooze link: confirmation page, then the snooze", async () => {
    const cron = await runCron(server, Date.now() + 30 * 86_400_000);
    expect(cron.status).toBeLessThan(300);
    const reminder = (await outbox(server)).find(
      (m) => m.to === ME && m.text.includes("/snooze?s="),
    );
    const link = /http\S+\/t\/[a-z0-9]+\/snooze\?s=[a-z2-7]+/.exec(reminder?.text ?? "")?.[0];
    expect(link).toBeDefined();
    await page.goto(local(link ?? ""));
    expect(await page.getByLabel("Snooze until").inputValue()).toBe("1w");
    await shot("reminder-link");
    expect(await axeViolations()).toEqual([]);
    await go(page.getByRole("button", { name: "Snooze" }));
    expect(await status()).toContain("Snoozed");
  });

  it("shows the stats chart", async () => {
    await page.goto(`${server.url}/stats`);
    expect(await page.locator("svg.chart").isVisible()).toBe(true);
    await shot("stats");
    expect(await axeViolations()).toEqual([]);
  });

  it("exports the data as JSON", async () => {
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
    expect(data.threads.map((t) => t.subject)).toContain(HOSTILE);
  });

  it("deletes the account after the confirmation step", async () => {
    await page.goto(`${server.url}/account/delete`);
    await shot("delete");
    expect(await axeViolations()).toEqual([]);
    await page.getByLabel("Type your email address to confirm").fill(ME);
    await go(page.getByRole("button", { name: "Delete my account" }));
    expect(await h1()).toBe("Account deleted");
    await page.goto(`${server.url}/threads`);
    expect(await h1()).toBe("Sign in to continue");
    const threads = (await (await fetch(`${server.url}/dev/threads.json`)).json()) as {
      threads: unknown[];
    };
    expect(threads.threads).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(cspErrors).toEqual([]);
  });
});
