import { err, ok, type Result } from "./domain/result";
import { isValidTimeZone } from "./domain/zoned-time";

/** Everything Sprout reads from its environment, parsed and validated once. */
export interface Config {
  mailDomain: string;
  publicUrl: string;
  fromAddress: string;
  /** The bare address inside FROM_ADDRESS, lower-cased. */
  fromEmail: string;
  defaultTimeZone: string;
  owners: ReadonlySet<string>;
  /** Null means outgoing mail goes to the local dev outbox. */
  resend: { apiKey: string; baseUrl: string } | null;
  signingSecret: string;
  devOutbox: boolean;
  /** SIGNUP: `open` lets an unknown sender start by mail, with a confirmation (SPEC 6). */
  signup: "open" | "closed";
  /** SENDER_AUTH: `enforce` believes a From only when Email Routing authenticated it (SPEC 9). */
  senderAuth: "enforce" | "off";
  /** Requests a second the mail API allows (SEND_RATE, default 2: Resend's default). */
  sendRate: number;
  /** At most this many emails leave in one cron run (MAX_PER_RUN); null means no cap. */
  maxPerRun: number | null;
  /** RESEND_WEBHOOK_SECRET; see webhookSecret below. */
  resendWebhook: WebhookSecret;
  /** Things worth a log line at start-up, such as the development signing key. */
  warnings: string[];
}

/**
 * The Resend webhook's secret: unset (the route answers 404), set, or malformed. Malformed
 * is a configuration error of that one route only (it answers 500 and the log says why):
 * reminders, mail and the web page keep working, and Resend retries its events until the
 * secret is fixed.
 */
export type WebhookSecret =
  | { kind: "unset" }
  | { kind: "set"; secret: string }
  | { kind: "invalid" };

type ConfigError =
  | { kind: "missing-secret"; name: string }
  | { kind: "invalid"; name: string; value: string }
  /** DEV_OUTBOX=true on a deployed Worker (an https PUBLIC_URL): SPEC 9. */
  | { kind: "dev-outbox-deployed"; publicUrl: string };

/** A fixed key for `npm run dev`, only ever used when DEV_OUTBOX=true. */
export const DEV_SIGNING_SECRET = "sprout-development-signing-key-do-not-deploy";

const DEFAULT_RESEND_BASE_URL = "https://api.resend.com";

/** Resend allows 2 requests a second per team unless the plan says more. */
const DEFAULT_SEND_RATE = 2;
/** Beyond this the pacing stops making sense (and a typo like 2000 would be caught). */
const MAX_SEND_RATE = 100;

/** Parses the Worker's env into a Config, or says what is missing. */
export function parseConfig(env: Env): Result<Config, ConfigError> {
  const warnings: string[] = [];
  const devOutbox = (env.DEV_OUTBOX ?? "").trim().toLowerCase() === "true";
  const publicUrl = (env.PUBLIC_URL ?? "").trim().replace(/\/+$/, "") || "http://localhost:8787";
  if (!URL.canParse(publicUrl))
    return err({ kind: "invalid", name: "PUBLIC_URL", value: publicUrl });
  // The dev outbox's pages list every user's mail and threads without sign-in, and it lets
  // the public development key sign links: never on a deployed Worker, which is always
  // served over https. Locally (http) a real RESEND_API_KEY with DEV_OUTBOX=true is fine.
  if (devOutbox && new URL(publicUrl).protocol === "https:") {
    return err({ kind: "dev-outbox-deployed", publicUrl });
  }
  let signingSecret = (env.SIGNING_SECRET ?? "").trim();
  if (signingSecret === "") {
    if (!devOutbox) return err({ kind: "missing-secret", name: "SIGNING_SECRET" });
    signingSecret = DEV_SIGNING_SECRET;
    warnings.push("SIGNING_SECRET is unset: using the fixed development key (DEV_OUTBOX=true).");
  }
  const mailDomain = (env.MAIL_DOMAIN ?? "").trim().toLowerCase();
  if (mailDomain === "" || mailDomain.includes("@")) {
    return err({ kind: "invalid", name: "MAIL_DOMAIN", value: env.MAIL_DOMAIN ?? "" });
  }
  const signup = (env.SIGNUP ?? "open").trim().toLowerCase() || "open";
  if (signup !== "open" && signup !== "closed") {
    return err({ kind: "invalid", name: "SIGNUP", value: env.SIGNUP });
  }
  const senderAuth = (env.SENDER_AUTH ?? "enforce").trim().toLowerCase() || "enforce";
  if (senderAuth !== "enforce" && senderAuth !== "off") {
    return err({ kind: "invalid", name: "SENDER_AUTH", value: env.SENDER_AUTH ?? "" });
  }
  const defaultTimeZone = (env.DEFAULT_TIMEZONE ?? "").trim() || "UTC";
  if (!isValidTimeZone(defaultTimeZone)) {
    return err({ kind: "invalid", name: "DEFAULT_TIMEZONE", value: defaultTimeZone });
  }
  const apiKey = (env.RESEND_API_KEY ?? "").trim();
  const baseUrl = (env.RESEND_BASE_URL ?? "").trim().replace(/\/+$/, "") || DEFAULT_RESEND_BASE_URL;
  if (apiKey !== "" && !URL.canParse(baseUrl)) {
    return err({ kind: "invalid", name: "RESEND_BASE_URL", value: baseUrl });
  }
  const sendRateText = (env.SEND_RATE ?? "").trim();
  const sendRate = sendRateText === "" ? DEFAULT_SEND_RATE : Number(sendRateText);
  if (!Number.isFinite(sendRate) || sendRate <= 0 || sendRate > MAX_SEND_RATE) {
    return err({ kind: "invalid", name: "SEND_RATE", value: sendRateText });
  }
  const maxPerRunText = (env.MAX_PER_RUN ?? "").trim();
  const maxPerRun = maxPerRunText === "" ? null : Number(maxPerRunText);
  if (maxPerRun !== null && (!Number.isInteger(maxPerRun) || maxPerRun < 1)) {
    return err({ kind: "invalid", name: "MAX_PER_RUN", value: maxPerRunText });
  }
  const resendWebhook = webhookSecret(env.RESEND_WEBHOOK_SECRET);
  if (resendWebhook.kind === "invalid") {
    warnings.push(
      "RESEND_WEBHOOK_SECRET is not whsec_ followed by base64 (copy it from Resend's webhook page): the webhook answers 500 until it is fixed.",
    );
  }
  const fromAddress = (env.FROM_ADDRESS ?? "").trim() || `Sprout <sprout@${mailDomain}>`;
  const fromEmail = (/<([^<>]+)>/.exec(fromAddress)?.[1] ?? fromAddress).trim().toLowerCase();
  if (!fromEmail.includes("@"))
    return err({ kind: "invalid", name: "FROM_ADDRESS", value: fromAddress });
  return ok({
    mailDomain,
    publicUrl,
    fromAddress,
    fromEmail,
    defaultTimeZone,
    owners: new Set(
      (env.OWNERS ?? "")
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s.includes("@")),
    ),
    resend: apiKey === "" ? null : { apiKey, baseUrl },
    signingSecret,
    devOutbox,
    signup,
    senderAuth,
    sendRate,
    maxPerRun,
    resendWebhook,
    warnings,
  });
}

/** Reads RESEND_WEBHOOK_SECRET: `whsec_` then the base64 of the key, as Resend shows it. */
function webhookSecret(value: string | undefined): WebhookSecret {
  const secret = (value ?? "").trim();
  if (secret === "") return { kind: "unset" };
  const key = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : "";
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return { kind: "invalid" };
  try {
    return atob(key).length > 0 ? { kind: "set", secret } : { kind: "invalid" };
  } catch {
    return { kind: "invalid" };
  }
}

/** One sentence a person can act on, for logs, error pages and temporary-failure reasons. */
export function describeConfigError(e: ConfigError): string {
  switch (e.kind) {
    case "missing-secret":
      return `Sprout is not configured: the secret ${e.name} is not set (npx wrangler secret put ${e.name}).`;
    case "invalid":
      return `Sprout is not configured: ${e.name} has an invalid value "${e.value}".`;
    case "dev-outbox-deployed":
      return `Sprout is not configured: DEV_OUTBOX is true, but PUBLIC_URL (${e.publicUrl}) is https, so this Worker is deployed. The development outbox shows everyone's mail without sign-in: set DEV_OUTBOX to "false" (npm run dev sets it locally).`;
  }
}

const warned = new Set<string>();

/** Parsed configurations by env object: workerd hands the same env to every event of an isolate. */
const parsed = new WeakMap<Env, Result<Config, ConfigError>>();

/**
 * parseConfig for the Worker's entry points, once per env object (it was a measurable share of
 * an inbound message's CPU); logs each configuration warning once per isolate.
 */
export function loadConfig(env: Env): Result<Config, ConfigError> {
  const cached = parsed.get(env);
  if (cached !== undefined) return cached;
  const config = parseConfig(env);
  parsed.set(env, config);
  if (config.ok) {
    for (const warning of config.value.warnings) {
      if (warned.has(warning)) continue;
      warned.add(warning);
      console.warn(`sprout: ${warning}`);
    }
  }
  return config;
}
