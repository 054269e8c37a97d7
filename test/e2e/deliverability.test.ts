// Deliverability: every kind of email Sprout sends, rendered by the real templates and
// composeEmail, built into the MIME a mail API would send, and scored by SpamAssassin with
// local tests only (no network, no DNS lists). Each must score below 1.0.
//
// One row per kind of email: a new kind (say, the sign-up confirmation or a suppression
// notice) is one more row of KINDS.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { actionLink, digestUnsubscribeLink } from "../../src/domain/links";
import type { OutgoingEmail } from "../../src/domain/outgoing";
import { replyAddress } from "../../src/domain/reply-address";
import { formatLocal } from "../../src/domain/zoned-time";
import { type Composition, composeEmail } from "../../src/mail/compose";
import { renderConfirmation } from "../../src/mail/templates/confirm";
import { digestHeaders, renderDigest } from "../../src/mail/templates/digest";
import { renderHelp } from "../../src/mail/templates/help";
import { renderList } from "../../src/mail/templates/list";
import { renderLogin } from "../../src/mail/templates/login";
import { renderForeignReply } from "../../src/mail/templates/notices";
import { renderReminder } from "../../src/mail/templates/reminder";
import { renderSignup } from "../../src/mail/templates/signup";
import { renderTimeError } from "../../src/mail/templates/time-error";
import { toMime } from "./mime";

const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts/deliverability");
const LIMIT = 1.0;
const HAS_SPAMASSASSIN = spawnSync("spamassassin", ["-V"]).status === 0;
if (!HAS_SPAMASSASSIN) {
  console.warn(
    "deliverability: skipped, spamassassin not found (apt-get install -y spamassassin; .ci/run installs it)",
  );
}

// A deployment as an operator would configure it.
const parsed = parseConfig({
  MAIL_DOMAIN: "followup.acme.test",
  PUBLIC_URL: "https://sprout.acme.test",
  FROM_ADDRESS: "Sprout <sprout@followup.acme.test>",
  DEFAULT_TIMEZONE: "Europe/Berlin",
  OWNERS: "",
  SIGNUP: "open",
  RESEND_BASE_URL: "https://api.resend.com",
  DEV_OUTBOX: "false",
  SIGNING_SECRET: "deliverability-test-secret-0123456789",
} as unknown as Env);
if (!parsed.ok) throw new Error("test configuration is invalid");
const config = parsed.value;

const NOW = Date.UTC(2026, 11, 7, 7, 0);
const DAY = 86_400_000;
const TZ = "Europe/Berlin";
const USER = "maria.lopez@gmail.com";
const THREAD = "k3m9q2x7wa";
const OUTREACH_ID = "CAF8u2Lk9x3Qv@mail.gmail.com";
const JANE = [{ name: "Jane Recruiter", address: "jane@northwind.example" }];
const SNIPPET =
  "Hi Jane, I loved your talk on platform teams at the meetup last week. Would you have 20 minutes for coffee next week? I would like to hear how your team runs on-call.";

/** The user's own message Sprout answers (help@, list@, a time that did not parse). */
const inReplyToUser = { parentId: OUTREACH_ID, ancestors: [] };
const link = (action: "done" | "replied" | "snooze" | "stop") =>
  actionLink(config.signingSecret, config.publicUrl, THREAD, action);
const links = async () => ({
  done: await link("done"),
  replied: await link("replied"),
  snooze: await link("snooze"),
  stop: await link("stop"),
});
const reply = () => replyAddress(config.signingSecret, THREAD, config.mailDomain);

/** Every kind of outgoing email: a name and the composition its sender hands composeEmail. */
const KINDS: { name: string; compose: () => Promise<Composition> }[] = [
  {
    name: "reminder",
    compose: async () => ({
      to: USER,
      rendered: renderReminder({
        subject: "Coffee next week?",
        contacts: JANE,
        sentAt: NOW - 5 * DAY,
        snippet: SNIPPET,
        step: 1,
        total: 4,
        recurrence: null,
        now: NOW,
        timeZone: TZ,
        mailDomain: config.mailDomain,
        signInUrl: `${config.publicUrl}/login`,
        links: await links(),
      }),
      autoSubmitted: "auto-generated",
      thread: inReplyToUser,
      replyTo: await reply(),
    }),
  },
  {
    name: "keep-in-touch reminder",
    compose: async () => ({
      to: USER,
      rendered: renderReminder({
        subject: "Catching up",
        contacts: [{ name: "", address: "sam@contoso.example" }],
        sentAt: NOW - 92 * DAY,
        snippet: "Hi Sam, it has been a while. How is the new role going?",
        step: 2,
        total: null,
        recurrence: "3 months",
        now: NOW,
        timeZone: TZ,
        mailDomain: config.mailDomain,
        signInUrl: `${config.publicUrl}/login`,
        links: await links(),
      }),
      autoSubmitted: "auto-generated",
      thread: inReplyToUser,
      replyTo: await reply(),
    }),
  },
  {
    name: "help",
    compose: async () => ({
      to: USER,
      rendered: renderHelp(config.mailDomain),
      autoSubmitted: "auto-replied",
      thread: inReplyToUser,
    }),
  },
  {
    name: "list",
    compose: async () => ({
      to: USER,
      rendered: renderList(
        [
          { contacts: JANE, subject: "Coffee next week?", dueAt: NOW + DAY },
          {
            contacts: [{ name: "", address: "sam@contoso.example" }],
            subject: "Catching up",
            dueAt: NOW + 9 * DAY,
          },
          { contacts: [], subject: "Note to self: call the bank", dueAt: null },
        ],
        3,
        TZ,
      ),
      autoSubmitted: "auto-replied",
      thread: inReplyToUser,
    }),
  },
  {
    name: "list, empty",
    compose: async () => ({
      to: USER,
      rendered: renderList([], 0, TZ),
      autoSubmitted: "auto-replied",
      thread: inReplyToUser,
    }),
  },
  {
    name: "time error",
    compose: async () => ({
      to: USER,
      rendered: renderTimeError(
        { kind: "unrecognized", input: "3dayz", near: "dayz" },
        `3dayz@${config.mailDomain}`,
        "Coffee next week?",
        config.mailDomain,
      ),
      autoSubmitted: "auto-replied",
      thread: inReplyToUser,
      replyTo: await reply(),
    }),
  },
  {
    name: "sign-in link",
    compose: async () => ({
      to: USER,
      rendered: renderLogin(`${config.publicUrl}/login/confirm?token=${"t".repeat(43)}`, 15),
      autoSubmitted: "auto-generated",
    }),
  },
  {
    name: "sign-up confirmation, two messages held",
    compose: async () => ({
      to: USER,
      rendered: renderSignup({
        url: `${config.publicUrl}/signup/confirm?token=${"t".repeat(52)}`,
        days: 7,
        mailDomain: config.mailDomain,
        held: 2,
      }),
      autoSubmitted: "auto-generated",
    }),
  },
  {
    name: "sign-up confirmation, asked on the sign-in form",
    compose: async () => ({
      to: USER,
      rendered: renderSignup({
        url: `${config.publicUrl}/signup/confirm?token=${"t".repeat(52)}`,
        days: 7,
        mailDomain: config.mailDomain,
        held: 0,
      }),
      autoSubmitted: "auto-generated",
    }),
  },
  {
    name: "command confirmation",
    compose: async () => ({
      to: USER,
      // The line a "snooze 1w" reply gets (commands/apply.ts).
      rendered: renderConfirmation(
        "Coffee next week?",
        `Snoozed: Sprout will remind you on ${formatLocal(new Date(NOW + 7 * DAY), TZ)} (${TZ}).`,
      ),
      autoSubmitted: "auto-replied",
      thread: inReplyToUser,
      replyTo: await reply(),
    }),
  },
  {
    name: "weekly digest",
    compose: async () => ({
      to: USER,
      rendered: renderDigest({
        timeZone: TZ,
        lastWeek: { outreach: 4, followup: 3, reply: 1, call: 1 },
        spans: [
          { label: "Mon 14 Sep 2026 to Sun 11 Oct 2026", sent: 9, answered: 3 },
          { label: "Mon 12 Oct 2026 to Sun 8 Nov 2026", sent: 12, answered: 5 },
          { label: "Mon 9 Nov 2026 to Sun 6 Dec 2026", sent: 7, answered: 2 },
        ],
        dueThisWeek: [
          { contacts: JANE, subject: "Coffee next week?", dueAt: NOW + DAY },
          {
            contacts: [{ name: "", address: "sam@contoso.example" }],
            subject: "Catching up",
            dueAt: NOW + 3 * DAY,
          },
        ],
        moreDue: 0,
        streakWeeks: 6,
        answers: { answered: 10, afterFollowUp: 6 },
        threadsUrl: `${config.publicUrl}/threads`,
      }),
      autoSubmitted: "auto-generated",
      headers: digestHeaders(
        await digestUnsubscribeLink(config.signingSecret, config.publicUrl, "u7f3k2m9qa"),
        config.mailDomain,
      ),
    }),
  },
  {
    // A new user's first digest: no activity, nothing due, so the shortest one.
    name: "weekly digest, a quiet week",
    compose: async () => ({
      to: USER,
      rendered: renderDigest({
        timeZone: TZ,
        lastWeek: { outreach: 0, followup: 0, reply: 0, call: 0 },
        spans: [{ label: "Mon 9 Nov 2026 to Sun 6 Dec 2026", sent: 0, answered: 0 }],
        dueThisWeek: [],
        moreDue: 0,
        streakWeeks: 0,
        answers: { answered: 0, afterFollowUp: 0 },
        threadsUrl: `${config.publicUrl}/threads`,
      }),
      autoSubmitted: "auto-generated",
      headers: digestHeaders(
        await digestUnsubscribeLink(config.signingSecret, config.publicUrl, "u7f3k2m9qa"),
        config.mailDomain,
      ),
    }),
  },
  {
    name: "notice: someone else wrote to a reply address",
    compose: async () => ({
      to: USER,
      rendered: renderForeignReply(
        "stranger@fabrikam.example",
        "Coffee next week?",
        config.mailDomain,
      ),
      autoSubmitted: "auto-generated",
    }),
  },
];

interface Score {
  score: number;
  rules: string;
}

/** Scores every message in one spamassassin run (it spends seconds compiling its rules). */
function scoreAll(messages: { messageId: string; mime: string }[]): Map<string, Score> {
  const mbox = messages
    .map((m) => `From MAILER-DAEMON Mon Dec  7 07:00:00 2026\n${m.mime.replace(/\r\n/g, "\n")}`)
    .join("\n");
  const run = spawnSync("spamassassin", ["-L", "-t", "--mbox"], {
    input: mbox,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`spamassassin failed: ${run.stderr}`);
  // Reports come back in any order: tell them apart by Message-ID.
  const scores = new Map<string, Score>();
  for (const report of run.stdout.split(/^From MAILER-DAEMON .*$/m)) {
    const id = /^Message-ID:\s*<([^>]+)>/im.exec(report)?.[1];
    const status =
      /^X-Spam-Status: \w+, score=(-?[\d.]+) required=[\d.]+ tests=([\s\S]*?) autolearn=/m.exec(
        report,
      );
    if (id === undefined || status === null) continue;
    scores.set(id, {
      score: Number(status[1]),
      rules: (status[2] ?? "").replace(/\s+/g, ""),
    });
  }
  return scores;
}

describe.skipIf(!HAS_SPAMASSASSIN)("every outgoing email scores below 1.0 in SpamAssassin", () => {
  const emails = new Map<string, { email: OutgoingEmail; messageId: string }>();
  let scores = new Map<string, Score>();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const messages: { messageId: string; mime: string }[] = [];
    for (const [i, kind] of KINDS.entries()) {
      const email = composeEmail(config, await kind.compose());
      // Shaped like the ids Resend's senders stamp (Amazon SES).
      const messageId = `0100019a3c${String(i).padStart(2, "0")}e4-7b1f2c3d-9e8a-4f6b-a1c2-d3e4f5a6b7c8-000000@email.amazonses.com`;
      const mime = toMime(email, {
        date: new Date(NOW),
        messageId,
        boundary: `sprout-alt-${i}-5f2c1d9e8a47`,
      });
      writeFileSync(join(ARTIFACTS, `${kind.name.replace(/[^a-z0-9]+/gi, "-")}.eml`), mime);
      emails.set(kind.name, { email, messageId });
      messages.push({ messageId, mime });
    }
    scores = scoreAll(messages);
  }, 120_000);

  it.each(KINDS.map((k) => k.name))("%s", (name) => {
    const entry = emails.get(name);
    const score = scores.get(entry?.messageId ?? "");
    console.log(`spamassassin ${name}: ${score?.score} (${score?.rules})`);
    expect(score, `no SpamAssassin report for ${name}`).toBeDefined();
    expect(score?.score ?? Number.POSITIVE_INFINITY).toBeLessThan(LIMIT);
    // The part types a mail API sends, so the score is about the real message.
    expect(entry?.email.text.length).toBeGreaterThan(0);
    expect(entry?.email.html).toContain("<html");
  });
});
