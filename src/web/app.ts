import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { describeConfigError, loadConfig } from "../config";
import { openDb } from "../db/client";
import { makeMailer } from "../mail/factory";
import type { AppEnv } from "./context";
import { failurePage } from "./failures";
import { configErrorPage, unexpectedErrorPage } from "./plain-pages";
import { accountRoutes } from "./routes/account";
import { authRoutes } from "./routes/auth";
import { devRoutes } from "./routes/dev";
import { digestRoutes } from "./routes/digest";
import { landingRoutes } from "./routes/landing";
import { linkRoutes } from "./routes/links";
import { settingsRoutes } from "./routes/settings";
import { signupRoutes } from "./routes/signup";
import { statsRoutes } from "./routes/stats";
import { suppressionRoutes } from "./routes/suppression";
import { threadRoutes } from "./routes/threads";
import { webhookRoutes } from "./routes/webhooks";
import { crossSiteGuard, securityHeaders } from "./security";
import { loadSession } from "./session";

/** The web app: landing, sign-in, threads, reminder links, settings, stats, export. */
export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  const config = loadConfig(c.env);
  if (!config.ok) return configErrorPage(c, describeConfigError(config.error));
  const db = openDb(c.env.DB);
  const now = Date.now();
  c.set("config", config.value);
  c.set("db", db);
  c.set(
    "mailer",
    makeMailer(config.value, db, () => now),
  );
  c.set("now", now);
  c.set("user", null);
  c.set("sessionId", null);
  await next();
});
/**
 * No form of Sprout's sends more than a few hundred bytes: anything over 64 KB is refused
 * before it is read or parsed (a 700 KB snooze field cost 130 ms of form parsing alone).
 */
export const MAX_BODY_BYTES = 64 * 1024;

app.use(
  "*",
  bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => failurePage(c, { kind: "too-large" }) }),
);
app.use("*", securityHeaders);
app.use("*", crossSiteGuard);
app.use("*", loadSession);

app.onError((e, c) => {
  console.error(JSON.stringify({ event: "web-error", message: e.message }));
  return unexpectedErrorPage(c);
});

app.notFound((c) => failurePage(c, { kind: "not-found" }));

for (const routes of [
  landingRoutes,
  authRoutes,
  signupRoutes,
  linkRoutes,
  threadRoutes,
  settingsRoutes,
  accountRoutes,
  statsRoutes,
  digestRoutes,
  suppressionRoutes,
  webhookRoutes,
  devRoutes,
]) {
  app.route("/", routes);
}
