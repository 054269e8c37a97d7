// Starts `npm run dev`'s script (scripts/dev.mjs) as a black box: a real `wrangler dev`
// with a fresh local D1 in a temporary folder, on its own port, in its own process group.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

export interface DevServer {
  url: string;
  port: number;
  /** Where this server's `npm run dev` records where it runs (SPROUT_DEV_STATE). */
  stateFile: string;
  logs: () => string;
  stop: () => Promise<void>;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * Starts the dev server with extra `--var K:V` settings (and any further `wrangler dev`
 * arguments, such as `--config`) and waits until it answers.
 */
export async function startDev(
  vars: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<DevServer> {
  const port = await freePort();
  const persist = mkdtempSync(join(tmpdir(), "sprout-e2e-"));
  // Its own state file, so a test never overwrites a developer's .wrangler/sprout-dev.json.
  const stateFile = join(persist, "sprout-dev.json");
  const args = [join(ROOT, "scripts/dev.mjs"), "--port", String(port), "--persist-to", persist];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  args.push(...extraArgs);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      NO_COLOR: "1",
      SPROUT_DEV_STATE: stateFile,
    },
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    rmSync(persist, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      // Ready when the Worker answers and the dev script has recorded where it runs.
      const res = await fetch(`${url}/healthz`);
      if (res.ok && existsSync(stateFile))
        return { url, port, stateFile, logs: () => output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not start on port ${port}:\n${output}`);
}

/** Posts a raw message to wrangler's local email endpoint, as Email Routing would deliver it. */
export async function postEmail(server: DevServer, raw: string, from: string, to: string) {
  const query = new URLSearchParams({ from, to });
  const res = await fetch(`${server.url}/cdn-cgi/handler/email?${query}`, {
    method: "POST",
    body: raw,
  });
  return { status: res.status, body: await res.text() };
}

/** Runs the cron handler as if the clock read `time`. */
export async function runCron(server: DevServer, time: number) {
  const res = await fetch(`${server.url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${time}`);
  return { status: res.status, body: await res.text() };
}

/** One message of /dev/outbox.json. */
export interface OutboxMessage {
  /** When it was stored (ISO 8601); mail of one cron run shares it. */
  createdAt: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  replyTo: string | null;
  headers: Record<string, string>;
}

/** The dev outbox, newest first. */
export async function outbox(server: DevServer): Promise<OutboxMessage[]> {
  const res = await fetch(`${server.url}/dev/outbox.json`);
  const json = (await res.json()) as { messages: OutboxMessage[] };
  return json.messages;
}

/** A plain outreach from me@example.com to Jane, as a mail client sends it. */
export function outreach(
  messageId: string,
  subject: string,
  body = "Hi Jane, would you have 20 minutes for coffee next week? Best, Me",
  from = "me@example.com",
): string {
  return [
    `From: Me Myself <${from}>`,
    "To: Jane Recruiter <jane@example.org>",
    `Subject: ${subject}`,
    `Message-ID: <${messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
    "",
  ].join("\r\n");
}
