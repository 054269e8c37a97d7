import type { Context } from "hono";
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { UserRow } from "../db/schema";
import type { Mailer } from "../mail/mailer";

/** What every handler of the web app can read from its context. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    config: Config;
    db: Db;
    /** Built once per request here at the entry point; nothing below builds its own. */
    mailer: Mailer;
    /** Read once per request at the edge and passed down. */
    now: number;
    /** The signed-in user, or null. */
    user: UserRow | null;
    /** The raw session id from the cookie, when it named a live session. */
    sessionId: string | null;
  };
};

export type Ctx = Context<AppEnv>;

/**
 * Runs work after the response when the runtime allows it (so the sign-in form answers as
 * fast for unknown addresses as for known ones), or inline when there is no execution
 * context (route tests through `app.request`).
 */
export async function inBackground(c: Ctx, work: Promise<unknown>): Promise<void> {
  const logged = work.catch((e: unknown) => {
    console.error(
      JSON.stringify({
        event: "web-background-error",
        message: e instanceof Error ? e.message : String(e),
      }),
    );
  });
  let ctx: { waitUntil(p: Promise<unknown>): void } | null = null;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = null;
  }
  if (ctx === null) await logged;
  else ctx.waitUntil(logged);
}

/** A form field as one trimmed string ("" when absent or a file). */
export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === "string" ? value.trim() : "";
}
