#!/usr/bin/env node
// `npm run try -- [address] [file.eml] [--url http://localhost:8787] [--from you@example.com]`
// Posts an outreach, Bcc'd to Sprout, to the running dev server (`npm run dev`), the way
// Email Routing would deliver it, then shows the stored thread. Without a file it posts a
// sample message; default address: 3d@<MAIL_DOMAIN>. A bare time (`tomorrow9am`) means
// that address at the dev server's domain.
//
// Any .eml file works: a message without a Message-ID gets one (wrangler's local endpoint
// refuses mail without it), and the owner becomes its sender (Sprout tracks mail only for
// its users; from any other address the message would wait for a confirmation first), in
// From and in the envelope. Both changes are printed.
import { existsSync, readFileSync } from "node:fs";
import { devServer, newMessageId, postEmail, sampleOutreach, threadFor } from "./lib/local.mjs";

const args = process.argv.slice(2);
const server = devServer(args);
let file;
let to;
for (const arg of args) {
  if (existsSync(arg)) file = arg;
  else if (arg.includes("@")) to = arg;
  else if (arg.endsWith(".eml")) {
    console.error(`No such file: ${arg}`);
    process.exit(1);
  } else to = `${arg}@${server.mailDomain}`;
}
to ??= `3d@${server.mailDomain}`;
const from = server.owner;

let raw;
let messageId;
if (file === undefined) {
  messageId = newMessageId("sample");
  raw = sampleOutreach(from, messageId);
} else {
  const prepared = prepare(readFileSync(file).toString("latin1"), from);
  raw = Buffer.from(prepared.raw, "latin1");
  messageId = prepared.messageId;
  console.log(`Posting ${file}:`);
  for (const change of prepared.changes) console.log(`  - ${change}`);
}

const posted = await postEmail(server, raw, from, to);
console.log(`POST to ${to} (envelope from ${from}): HTTP ${posted.status}`);
if (posted.status >= 300) {
  // Rejected in-session: the reason is what a mail server would put in the bounce.
  console.log(`Refused: ${posted.body.split("\n")[0]}`);
  process.exit(1);
}
const thread = await threadFor(server, messageId);
if (thread === undefined) {
  console.log(
    "Accepted, no thread stored: help@, list@ and login@ answer by mail, and auto-replies and bounces are recorded without an answer.",
  );
} else {
  const contacts = thread.contacts.map((c) => c.address).join(", ") || "yourself";
  console.log(`Stored thread ${thread.id}: "${thread.subject}" to ${contacts}`);
  console.log(`Status: ${thread.status}; next reminder due ${thread.dueAtIso ?? "(no time yet)"}`);
}
console.log(`Sprout's mail to you: ${server.url}/dev/outbox`);

/**
 * Makes a raw message acceptable to the local endpoint and to Sprout: adds a Message-ID
 * when there is none and makes `owner` its only From. Works on the header block only (as
 * latin1, so the bytes of the body pass through untouched).
 */
function prepare(text, owner) {
  const changes = [];
  const end = /\r?\n\r?\n/.exec(text);
  const head = end === null ? text : text.slice(0, end.index);
  const body = end === null ? "" : text.slice(end.index);
  const eol = head.includes("\r\n") ? "\r\n" : "\n";
  // Header fields with their folded continuation lines.
  const fields = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += `${eol}${line}`;
    else fields.push(line);
  }
  const named = (name) => (f) => f.toLowerCase().startsWith(`${name}:`);
  const value = (f) =>
    f
      .slice(f.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();

  let messageId = fields.find(named("message-id"));
  if (messageId === undefined || !/<[^<>]+>/.test(value(messageId))) {
    const id = newMessageId("try");
    fields.splice(0, fields.length, ...fields.filter((f) => !named("message-id")(f)));
    fields.push(`Message-ID: <${id}>`);
    changes.push(
      `added Message-ID <${id}> (the file has none, and wrangler's local endpoint refuses mail without one)`,
    );
    messageId = id;
  } else {
    messageId = /<([^<>]+)>/.exec(value(messageId))?.[1] ?? "";
  }

  const fromFields = fields.filter(named("from"));
  const current = fromFields.map(value);
  const address = (v) => (/<([^<>]*)>/.exec(v)?.[1] ?? v).trim().toLowerCase();
  if (current.length !== 1 || address(current[0] ?? "") !== owner.toLowerCase()) {
    const name = /^(.*?)\s*<[^<>]*>\s*$/.exec(current[0] ?? "")?.[1]?.trim() ?? "";
    const rewritten = name === "" ? owner : `${name} <${owner}>`;
    const at = fields.findIndex(named("from"));
    const kept = fields.filter((f) => !named("from")(f));
    kept.splice(Math.max(at, 0), 0, `From: ${rewritten}`);
    fields.splice(0, fields.length, ...kept);
    const was = current.length === 0 ? "no From" : `From ${current.join(", ")}`;
    changes.push(
      `made ${owner} its sender (From and envelope; the file had ${was}): Sprout tracks mail only for its users (locally, OWNERS); another address would first get a confirmation email`,
    );
  }
  return { raw: fields.join(eol) + body, messageId, changes };
}
