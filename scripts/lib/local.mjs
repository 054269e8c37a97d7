// Helpers for the newcomer scripts (npm run try, demo, reply): they talk to a running
// `npm run dev` exactly as Email Routing and the Cron Trigger would.
import { devStatePath, readDevState } from "./dev-state.mjs";

/** Reads `--name value` or `--name=value` from argv (removing it), or returns the fallback. */
export function option(args, name, fallback) {
  const eq = args.findIndex((a) => a.startsWith(`${name}=`));
  if (eq >= 0) return args.splice(eq, 1)[0]?.slice(name.length + 1) ?? fallback;
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value ?? fallback;
}

/**
 * The dev server to talk to: `--url` when given, else the one `npm run dev` recorded, else
 * http://localhost:8787. Also its mail domain and owner (the first OWNERS address), which
 * `--domain` and `--from` override.
 */
export function devServer(args) {
  const explicit = option(args, "--url");
  const state = readDevState();
  const url = (explicit ?? state?.url ?? "http://localhost:8787").replace(/\/+$/, "");
  // What the state file says is true of the server it names, not of another one.
  const known = state !== null && state.url === url ? state : null;
  let source = "the default address; npm run dev was not found running";
  if (explicit !== undefined) source = "--url";
  else if (known !== null) source = `${devStatePath()}, written by npm run dev`;
  return {
    url,
    source,
    mailDomain: option(args, "--domain", known?.mailDomain ?? "sprout.localhost"),
    owner: option(args, "--from", known?.owner || "you@example.com"),
  };
}

/** A realistic outreach message, as a mail client would send it with Sprout in Bcc. */
export function sampleOutreach(from, messageId) {
  return [
    `From: You <${from}>`,
    "To: Jane Recruiter <jane@example.org>",
    "Subject: Coffee next week?",
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${messageId}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hi Jane,",
    "",
    "I loved your talk on platform teams. Would you have 20 minutes for coffee next week?",
    "",
    "Best,",
    "You",
    "",
  ].join("\r\n");
}

/** A fresh, unique Message-ID (without angle brackets). */
export function newMessageId(kind) {
  return `${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Exits with advice when the dev server does not answer. */
function unreachable(server) {
  console.error(`Could not reach Sprout at ${server.url} (from ${server.source}).`);
  console.error("Start it first, in another terminal: npm run dev");
  console.error("(or name another server: --url http://localhost:<port>)");
  process.exit(1);
}

/** Posts a raw message to the local email endpoint; exits with advice if Sprout is not up. */
export async function postEmail(server, raw, from, to) {
  const query = new URLSearchParams({ from, to });
  try {
    const res = await fetch(`${server.url}/cdn-cgi/handler/email?${query}`, {
      method: "POST",
      body: raw,
    });
    return { status: res.status, body: (await res.text()).trim() };
  } catch {
    return unreachable(server);
  }
}

/** A dev-only JSON page (/dev/...); exits with advice if Sprout is not up or not local. */
async function devJson(server, path) {
  let res;
  try {
    res = await fetch(`${server.url}${path}`);
  } catch {
    return unreachable(server);
  }
  if (!res.ok) {
    console.error(`${server.url}${path} answered HTTP ${res.status}: is DEV_OUTBOX on?`);
    process.exit(1);
  }
  return res.json();
}

/** The threads of the dev database, newest first (from the dev-only /dev/threads.json). */
export async function threads(server) {
  return (await devJson(server, "/dev/threads.json")).threads;
}

/** The thread stored for a Message-ID. */
export async function threadFor(server, messageId) {
  return (await threads(server)).find((t) => t.messageId === messageId);
}

/** Runs the cron handler as if the clock read `time` (ms). */
export async function runCron(server, time) {
  try {
    const res = await fetch(`${server.url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${time}`);
    return res.status;
  } catch {
    return unreachable(server);
  }
}

/** The dev outbox, newest first. */
export async function outbox(server) {
  return (await devJson(server, "/dev/outbox.json")).messages;
}

/** The thread id inside a signed reply address (`re-<thread>-<signature>@...`). */
export function threadOfReplyAddress(address) {
  return /^re-([a-z2-7]+)-/i.exec(address ?? "")?.[1];
}

/**
 * The mail `npm run reply` answers: the newest one in the outbox with a reply address. Mail
 * sent in the same cron run shares one moment; among those, the one about the most recently
 * created thread, which is what you just did (npm run demo, say).
 */
export function newestAnswerable(mails, threadRows) {
  const answerable = mails.filter((m) => m.replyTo !== null && m.replyTo !== "");
  const newest = answerable[0];
  if (newest === undefined) return undefined;
  const created = (m) =>
    threadRows.find((t) => t.id === threadOfReplyAddress(m.replyTo))?.createdAt ?? 0;
  return answerable
    .filter((m) => m.createdAt === newest.createdAt)
    .reduce((best, m) => (created(m) > created(best) ? m : best), newest);
}
