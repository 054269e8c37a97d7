#!/usr/bin/env node
// `npm run reply -- "<command>" [--to <reply address>] [--url http://localhost:8787]`, with
// `npm run dev` running: answers the newest mail in the dev outbox that has a reply address
// (a reminder, or an error email asking for a time; `--to` picks the newest one with that
// Reply-To) the way your mail app would: a message from you to its
// Reply-To, "Re:" its subject, your command on the first line above the quoted mail.
// Then it prints Sprout's answer and the thread as it is now.
import {
  devServer,
  newestAnswerable,
  newMessageId,
  option,
  outbox,
  postEmail,
  threadOfReplyAddress,
  threads,
} from "./lib/local.mjs";

const args = process.argv.slice(2);
const server = devServer(args);
const replyTo = option(args, "--to");
const command = args.join(" ").trim();
if (command === "") {
  console.error(
    'Usage: npm run reply -- "<command>"   e.g. "snooze 2d", done, replied, stop, help',
  );
  process.exit(1);
}

const before = await outbox(server);
const mail =
  replyTo === undefined
    ? newestAnswerable(before, await threads(server))
    : before.find((m) => m.replyTo === replyTo);
if (mail === undefined) {
  console.error(
    replyTo === undefined
      ? "Nothing to answer: no mail with a reply address in the dev outbox yet."
      : `Nothing to answer: no mail in the dev outbox has Reply-To ${replyTo}.`,
  );
  console.error("Run npm run demo first: it makes Sprout send a reminder.");
  process.exit(1);
}

const me = mail.to;
const subject = /^\s*re\s*:/i.test(mail.subject) ? mail.subject : `Re: ${mail.subject}`;
const references = (mail.headers.References ?? "").trim();
const parent = references.split(/\s+/).at(-1) ?? "";
const quoted = mail.text.replace(/^/gm, "> ");
const raw = [
  `From: ${me}`,
  `To: ${mail.replyTo}`,
  `Subject: ${subject}`,
  `Date: ${new Date().toUTCString()}`,
  `Message-ID: <${newMessageId("reply")}>`,
  ...(parent === "" ? [] : [`In-Reply-To: ${parent}`, `References: ${references}`]),
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "",
  command,
  "",
  `On ${new Date(mail.createdAt).toUTCString()}, ${mail.from} wrote:`,
  quoted,
  "",
].join("\r\n");

console.log(`Answering "${mail.subject}" (Reply-To ${mail.replyTo}) with: ${command}`);
const posted = await postEmail(server, raw, me, mail.replyTo);
console.log(`POST to ${mail.replyTo} (from ${me}): HTTP ${posted.status} ${posted.body}`);

const seen = new Set(before.map((m) => m.id));
const answers = (await outbox(server)).filter((m) => !seen.has(m.id));
if (answers.length === 0) console.log("Sprout sent nothing back (confirmations may be off).");
for (const answer of answers) {
  console.log(`\nSprout answered: ${answer.subject}\n`);
  console.log(answer.text.replace(/^/gm, "   "));
}

const threadId = threadOfReplyAddress(mail.replyTo);
const thread = (await threads(server)).find((t) => t.id === threadId);
if (thread !== undefined) {
  console.log(
    `\nThread "${thread.subject}": ${thread.status}; next reminder due ${thread.dueAtIso ?? "(none)"}`,
  );
}
