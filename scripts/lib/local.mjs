// Helpers for the newcomer scripts (npm run try, npm run demo): they talk to a running
// `npm run dev` exactly as Email Routing and the Cron Trigger would.

/** Reads `--name value` from argv (removing it), or returns the fallback. */
export function option(args, name, fallback) {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value ?? fallback;
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

/** Posts a raw message to the local email endpoint; exits with advice if Sprout is not up. */
export async function postEmail(url, raw, from, to) {
  const query = new URLSearchParams({ from, to });
  try {
    const res = await fetch(`${url}/cdn-cgi/handler/email?${query}`, { method: "POST", body: raw });
    return { status: res.status, body: (await res.text()).trim() };
  } catch {
    console.error(`Could not reach ${url}. Start Sprout first, in another terminal: npm run dev`);
    process.exit(1);
  }
}

/** The thread stored for a Message-ID (from the dev-only /dev/threads.json). */
export async function threadFor(url, messageId) {
  const { threads } = await (await fetch(`${url}/dev/threads.json`)).json();
  return threads.find((t) => t.messageId === messageId);
}

/** Runs the cron handler as if the clock read `time` (ms). */
export async function runCron(url, time) {
  const res = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${time}`);
  return res.status;
}

/** The dev outbox, newest first. */
export async function outbox(url) {
  const { messages } = await (await fetch(`${url}/dev/outbox.json`)).json();
  return messages;
}
