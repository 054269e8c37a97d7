#!/usr/bin/env node
// `npm run demo [-- --url http://localhost:8787]`, with `npm run dev` running elsewhere:
// watch the whole loop without waiting days. It posts a sample outreach Bcc'd to
// 3d@sprout.localhost, runs the clock forward to the reminder's due time through the local
// cron endpoint, and prints the reminder that lands in the dev outbox.
import { option, outbox, postEmail, runCron, sampleOutreach, threadFor } from "./lib/local.mjs";

const args = process.argv.slice(2);
const url = option(args, "--url", "http://localhost:8787").replace(/\/+$/, "");
const from = option(args, "--from", "you@example.com");
const messageId = `demo-${Date.now()}@example.com`;

console.log("1. You write to Jane and Bcc 3d@sprout.localhost");
const posted = await postEmail(url, sampleOutreach(from, messageId), from, "3d@sprout.localhost");
if (posted.status >= 300) {
  console.error(`   Sprout refused it: HTTP ${posted.status} ${posted.body}`);
  process.exit(1);
}
const thread = await threadFor(url, messageId);
if (thread?.dueAt == null) {
  console.error("   No scheduled thread was stored; see the dev server's log.");
  process.exit(1);
}
console.log(`   Sprout tracks it; the first reminder is due ${thread.dueAtIso}.`);

console.log("2. Jane does not answer. The clock runs forward to that moment...");
const status = await runCron(url, thread.dueAt);
console.log(`   cron at ${thread.dueAtIso}: HTTP ${status}`);

const reminder = (await outbox(url)).find((m) => m.headers["In-Reply-To"] === `<${messageId}>`);
if (reminder === undefined) {
  console.error("   No reminder reached the outbox; see the dev server's log.");
  process.exit(1);
}
console.log("3. This lands in your inbox, threaded under your message to Jane:\n");
console.log(`   From: ${reminder.from}\n   To: ${reminder.to}\n   Subject: ${reminder.subject}`);
console.log(`   Reply-To: ${reminder.replyTo}\n`);
console.log(reminder.text.replace(/^/gm, "   "));
console.log(`\nSee it rendered: ${url}/dev/outbox`);
