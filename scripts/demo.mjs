#!/usr/bin/env node
// `npm run demo [-- --url http://localhost:8787]`, with `npm run dev` running elsewhere:
// watch the whole loop without waiting days. It posts a sample outreach Bcc'd to
// 3d@<MAIL_DOMAIN>, runs the clock forward to the reminder's due time through the local
// cron endpoint, and prints the reminder that lands in the dev outbox.
import {
  devServer,
  newestAnswerable,
  newMessageId,
  outbox,
  postEmail,
  runCron,
  sampleOutreach,
  threadFor,
  threads,
} from "./lib/local.mjs";

const args = process.argv.slice(2);
const server = devServer(args);
const from = server.owner;
const to = `3d@${server.mailDomain}`;
const messageId = newMessageId("demo");

console.log(`1. You write to Jane and Bcc ${to}`);
const posted = await postEmail(server, sampleOutreach(from, messageId), from, to);
if (posted.status >= 300) {
  console.error(`   Sprout refused it: HTTP ${posted.status} ${posted.body}`);
  process.exit(1);
}
const thread = await threadFor(server, messageId);
if (thread?.dueAt == null) {
  console.error("   No scheduled thread was stored; see the dev server's log.");
  process.exit(1);
}
console.log(`   Sprout tracks it; the first reminder is due ${thread.dueAtIso}.`);

console.log("2. Jane does not answer. The clock runs forward to that moment...");
const status = await runCron(server, thread.dueAt);
console.log(`   cron at ${thread.dueAtIso}: HTTP ${status}`);

const mails = await outbox(server);
const reminder = mails.find((m) => m.headers["In-Reply-To"] === `<${messageId}>`);
if (reminder === undefined) {
  console.error("   No reminder reached the outbox; see the dev server's log.");
  process.exit(1);
}
console.log("3. This lands in your inbox, threaded under your message to Jane:\n");
console.log(`   From: ${reminder.from}\n   To: ${reminder.to}\n   Subject: ${reminder.subject}`);
console.log(`   Reply-To: ${reminder.replyTo}\n`);
console.log(reminder.text.replace(/^/gm, "   "));
console.log(`\nSee it rendered: ${server.url}/dev/outbox`);
// `npm run reply` answers the newest mail with a reply address: name this one if that is
// another (mail from a later run, say).
const newest = newestAnswerable(mails, await threads(server));
const pick = newest?.replyTo === reminder.replyTo ? "" : `--to ${reminder.replyTo} `;
console.log(
  `Answer it as your mail app would: npm run reply -- ${pick}"snooze 2d" (or done, stop...)`,
);
