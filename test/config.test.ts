import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DEV_SIGNING_SECRET, loadConfig, parseConfig } from "../src/config";
import worker from "../src/index";
import { emailMessage, mime } from "./helpers/email";

const base = { ...env, SIGNING_SECRET: undefined, DEV_OUTBOX: "false" } as Env;
/** `npm run dev`: DEV_OUTBOX on, PUBLIC_URL on http. */
const local = { ...base, DEV_OUTBOX: "true", PUBLIC_URL: "http://localhost:8787" } as Env;

describe("configuration", () => {
  it("uses the fixed development key only with DEV_OUTBOX=true, and says so", () => {
    const dev = parseConfig(local);
    expect(dev.ok && dev.value.signingSecret).toBe(DEV_SIGNING_SECRET);
    expect(dev.ok && dev.value.warnings.join(" ")).toContain("SIGNING_SECRET is unset");
    expect(parseConfig(base)).toEqual({
      ok: false,
      error: { kind: "missing-secret", name: "SIGNING_SECRET" },
    });
  });

  it("logs the development-key warning once per isolate", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const dev = local;
    loadConfig(dev);
    loadConfig(dev);
    const lines = warn.mock.calls
      .map((c) => String(c[0]))
      .filter((l) => l.includes("SIGNING_SECRET"));
    expect(lines).toEqual([
      "sprout: SIGNING_SECRET is unset: using the fixed development key (DEV_OUTBOX=true).",
    ]);
    warn.mockRestore();
  });

  it("parses an env object once, and another env object afresh", () => {
    const first = { ...local } as Env;
    const again = loadConfig(first);
    expect(loadConfig(first)).toBe(again);
    const closed = { ...local, SIGNUP: "closed" } as Env;
    const other = loadConfig(closed);
    expect(other).not.toBe(again);
    expect(other.ok && other.value.signup).toBe("closed");
    expect(again.ok && again.value.signup).not.toBe("closed");
  });

  it.each([
    ["DEFAULT_TIMEZONE", "Mars/Olympus"],
    ["SIGNUP", "sometimes"],
    ["SENDER_AUTH", "relaxed"],
    ["MAIL_DOMAIN", "not a@domain"],
    ["FROM_ADDRESS", "Sprout"],
  ])("refuses an invalid %s", (name, value) => {
    const parsed = parseConfig({ ...env, [name]: value } as Env);
    expect(parsed).toEqual({ ok: false, error: { kind: "invalid", name, value } });
  });

  it("reads SIGNUP and SENDER_AUTH, with open and enforce as defaults", () => {
    const unset = parseConfig({
      ...env,
      SIGNUP: undefined,
      SENDER_AUTH: undefined,
    } as unknown as Env);
    expect(unset.ok && [unset.value.signup, unset.value.senderAuth]).toEqual(["open", "enforce"]);
    const set = parseConfig({ ...env, SIGNUP: " Closed ", SENDER_AUTH: "OFF" } as Env);
    expect(set.ok && [set.value.signup, set.value.senderAuth]).toEqual(["closed", "off"]);
  });

  it("parses owners, Resend settings and the bare sender address", () => {
    const parsed = parseConfig({
      ...env,
      OWNERS: " A@Example.com, ,b@example.org ",
      RESEND_API_KEY: "re_123",
      RESEND_BASE_URL: "http://127.0.0.1:9999/",
      FROM_ADDRESS: "Sprout <Hello@Sprout.test>",
    } as Env);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect([...parsed.value.owners]).toEqual(["a@example.com", "b@example.org"]);
    expect(parsed.value.resend).toEqual({ apiKey: "re_123", baseUrl: "http://127.0.0.1:9999" });
    expect(parsed.value.fromEmail).toBe("hello@sprout.test");
  });

  it("answers web requests with a clear configuration error when deployed unsigned", async () => {
    const res = await worker.fetch(new Request("https://sprout.test/"), base);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("SIGNING_SECRET is not set");
  });

  it("fails incoming mail temporarily (throws) rather than rejecting it when deployed unsigned", async () => {
    const { message, record } = emailMessage(mime({}), "owner@example.com", "3d@sprout.test");
    const handler: ExportedHandler<Env> = worker;
    await expect(handler.email?.(message, base, {} as ExecutionContext)).rejects.toThrow(
      "SIGNING_SECRET is not set",
    );
    expect(record.rejected).toBeNull();
  });
});

describe("DEV_OUTBOX on a deployed Worker (SPEC 9)", () => {
  const deployed = {
    ...env,
    DEV_OUTBOX: "true",
    PUBLIC_URL: "https://sprout.example.workers.dev",
    RESEND_API_KEY: "re_live_key",
  } as Env;

  it("is a configuration error, whatever else is set", () => {
    const error = { kind: "dev-outbox-deployed", publicUrl: "https://sprout.example.workers.dev" };
    expect(parseConfig(deployed)).toEqual({ ok: false, error });
    // Without a secret too: the outbox, not the secret, is what is wrong.
    expect(parseConfig({ ...deployed, SIGNING_SECRET: undefined } as Env)).toEqual({
      ok: false,
      error,
    });
    expect(parseConfig({ ...deployed, DEV_OUTBOX: " TRUE " } as Env).ok).toBe(false);
  });

  it("stays allowed locally, a real RESEND_API_KEY included (mail then goes to Resend)", () => {
    const parsed = parseConfig({ ...deployed, PUBLIC_URL: "http://localhost:8787" } as Env);
    expect(parsed.ok && parsed.value.devOutbox).toBe(true);
    expect(parsed.ok && parsed.value.resend?.apiKey).toBe("re_live_key");
    expect(parseConfig({ ...deployed, DEV_OUTBOX: "false" } as Env).ok).toBe(true);
  });

  it("answers every web request with the configuration error page, HTTP 500", async () => {
    for (const path of ["/", "/dev/threads.json", "/dev/outbox.json", "/login", "/threads"]) {
      const res = await worker.fetch(
        new Request(`https://sprout.example.workers.dev${path}`),
        deployed,
      );
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).toContain("DEV_OUTBOX is true");
      expect(text).not.toContain('"threads"');
    }
  });

  it("fails incoming mail temporarily (throws) and records nothing", async () => {
    const { message, record } = emailMessage(mime({}), "owner@example.com", "stop@sprout.test");
    const handler: ExportedHandler<Env> = worker;
    await expect(handler.email?.(message, deployed, {} as ExecutionContext)).rejects.toThrow(
      "DEV_OUTBOX is true",
    );
    expect(record.rejected).toBeNull();
  });

  it("stops the cron job before it sends anything", async () => {
    const handler: ExportedHandler<Env> = worker;
    await expect(
      handler.scheduled?.(
        { scheduledTime: Date.now(), cron: "* * * * *", noRetry() {} },
        deployed,
        {} as ExecutionContext,
      ),
    ).rejects.toThrow("DEV_OUTBOX is true");
  });
});

describe("sending settings (SPEC section 10)", () => {
  it("defaults to 2 requests a second and no cap per run", () => {
    const parsed = parseConfig(env);
    expect(parsed.ok && [parsed.value.sendRate, parsed.value.maxPerRun]).toEqual([2, null]);
  });

  it("reads SEND_RATE (fractions allowed) and MAX_PER_RUN", () => {
    const parsed = parseConfig({ ...env, SEND_RATE: " 0.5 ", MAX_PER_RUN: "300" } as Env);
    expect(parsed.ok && [parsed.value.sendRate, parsed.value.maxPerRun]).toEqual([0.5, 300]);
  });

  it.each([
    ["SEND_RATE", "0"],
    ["SEND_RATE", "-2"],
    ["SEND_RATE", "fast"],
    ["SEND_RATE", "1000"],
    ["SEND_RATE", "Infinity"],
    ["MAX_PER_RUN", "0"],
    ["MAX_PER_RUN", "2.5"],
    ["MAX_PER_RUN", "lots"],
  ])("refuses %s=%s", (name, value) => {
    const parsed = parseConfig({ ...env, [name]: value } as Env);
    expect(parsed).toEqual({ ok: false, error: { kind: "invalid", name, value } });
  });
});
