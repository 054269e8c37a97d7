#!/usr/bin/env node
// `npm run try -- [address] [--url http://localhost:8787] [--from you@example.com]`
// Posts a sample outreach, BCC'd to Sprout, to the running dev server (`npm run dev`),
// then shows the stored thread. Default address: 3d@sprout.localhost.
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return value ?? fallback;
};
const url = option("--url", "http://localhost:8787").replace(/\/+$/, "");
const from = option("--from", "you@example.com");
const to = args[0] ?? "3d@sprout.localhost";
const messageId = `sample-${Date.now()}@example.com`;
const raw = [
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

const query = new URLSearchParams({ from, to });
let res;
try {
  res = await fetch(`${url}/cdn-cgi/handler/email?${query}`, { method: "POST", body: raw });
} catch {
  console.error(`Could not reach ${url}. Start Sprout first: npm run dev`);
  process.exit(1);
}
const body = await res.text();
console.log(`POST ${to} (envelope from ${from}): HTTP ${res.status} ${body.trim()}`);
const threads = await (await fetch(`${url}/dev/threads.json`)).json();
const thread = threads.threads.find((t) => t.messageId === messageId);
if (thread === undefined) {
  console.log("No thread was stored: see the reason above and the dev server's log.");
  process.exit(1);
}
console.log(
  `Stored thread ${thread.id}: "${thread.subject}" to ${thread.contacts.map((c) => c.address).join(", ")}`,
);
console.log(`Status: ${thread.status}; first reminder due ${thread.dueAtIso ?? "(no time yet)"}`);
console.log(`Now mail list@ to see it, or open ${url}/dev/outbox`);
