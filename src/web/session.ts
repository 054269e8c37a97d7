import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import { runBatch } from "../db/client";
import { pruneLoginTokens } from "../db/login-tokens";
import {
  endSession,
  newSession,
  pruneSessions,
  SESSION_ABSOLUTE_MS,
  sessionUser,
} from "../db/sessions";
import type { AppEnv, Ctx } from "./context";
import { failurePage } from "./failures";

/**
 * `__Host-sprout_session` (Secure, Path=/, no Domain: bound to this exact origin) when
 * PUBLIC_URL is https. Browsers refuse Secure cookies on http://127.0.0.1, so local http
 * development uses the plain name `sprout_session` without Secure.
 */
function sessionCookie(config: Config): { name: string; secure: boolean } {
  const secure = config.publicUrl.startsWith("https://");
  return { name: secure ? "__Host-sprout_session" : "sprout_session", secure };
}

/** Reads the session cookie and puts the signed-in user (or null) into the context. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const { name } = sessionCookie(c.get("config"));
  const id = getCookie(c, name);
  // sessionUser refuses an id of any other shape than the ones it hands out.
  const user = id === undefined ? null : await sessionUser(c.get("db"), id, c.get("now"));
  c.set("user", user);
  c.set("sessionId", user === null ? null : (id ?? null));
  await next();
});

/** Lets a request through only with a live session; otherwise the sign-in page, 401. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("user") === null) return failurePage(c, { kind: "signed-out" });
  await next();
});

/** Starts a session for a user (ending any session the browser had) and sets its cookie. */
export async function startSession(c: Ctx, userId: string): Promise<void> {
  const db = c.get("db");
  const now = c.get("now");
  const old = c.get("sessionId");
  if (old !== null) await endSession(db, old);
  const session = await newSession(db, userId, now);
  await runBatch(db, [
    session.statement,
    pruneSessions(db, userId, now),
    pruneLoginTokens(db, userId, now),
  ]);
  const { name, secure } = sessionCookie(c.get("config"));
  setCookie(c, name, session.id, {
    httpOnly: true,
    secure,
    sameSite: "Lax",
    path: "/",
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

/** Ends the current session, if any, and clears its cookie. */
export async function stopSession(c: Ctx): Promise<void> {
  const id = c.get("sessionId");
  if (id !== null) await endSession(c.get("db"), id);
  const { name, secure } = sessionCookie(c.get("config"));
  deleteCookie(c, name, { httpOnly: true, secure, sameSite: "Lax", path: "/" });
  c.set("user", null);
  c.set("sessionId", null);
}
