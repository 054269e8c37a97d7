#!/usr/bin/env node
// `npm run try -- [address] [--url http://localhost:8787] [--from you@example.com]`
// Posts a sample outreach, Bcc'd to Sprout, to the running dev server (`npm run dev`),
// then shows the stored thread. Default address: 3d@sprout.localhost.
import { option, postEmail, sampleOutreach, threadFor } from "./lib/local.mjs";

const args = process.argv.slice(2);
const url = option(args, "--url", "http://localhost:8787").replace(/\/+$/, "");
const from = option(args, "--from", "you@example.com");
const to = args[0] ?? "3d@sprout.localhost";
const messageId = `sample-${Date.now()}@example.com`;

const posted = await postEmail(url, sampleOutreach(from, messageId), from, to);
console.log(`POST to ${to} (envelope from ${from}): HTTP ${posted.status} ${posted.body}`);
const thread = await threadFor(url, messageId);
if (thread === undefined) {
  console.log("No thread was stored (help@ and list@ answer by mail): see /dev/outbox.");
} else {
  const contacts = thread.contacts.map((c) => c.address).join(", ");
  console.log(`Stored thread ${thread.id}: "${thread.subject}" to ${contacts}`);
  console.log(`Status: ${thread.status}; next reminder due ${thread.dueAtIso ?? "(no time yet)"}`);
}
console.log(`Sprout's mail to you: ${url}/dev/outbox`);
