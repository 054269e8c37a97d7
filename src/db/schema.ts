import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { THREAD_STATUSES, type ThreadStatus } from "../domain/lifecycle";

// Mirrors migrations/*.sql, which stay the source of truth (hand-reviewed); `npm run check`
// fails when the two disagree (scripts/check-schema.mjs). Times are integer milliseconds
// since the epoch.

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull().unique(),
    status: text("status", { enum: ["verified", "pending"] })
      .notNull()
      .default("verified"),
    timeZone: text("time_zone").notNull(),
    reminderMinutes: integer("reminder_minutes").notNull().default(480),
    skipWeekends: integer("skip_weekends", { mode: "boolean" }).notNull().default(true),
    cadence: text("cadence").notNull().default("3bd,1w,2w,3mo"),
    oneReminderOnly: integer("one_reminder_only", { mode: "boolean" }).notNull().default(false),
    confirmations: integer("confirmations", { mode: "boolean" }).notNull().default(true),
    digestEnabled: integer("digest_enabled", { mode: "boolean" }).notNull().default(true),
    digestDay: integer("digest_day").notNull().default(1),
    paused: integer("paused", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    lastDigestAt: integer("last_digest_at"),
    /** When the next weekly digest is due; 0 = not computed yet, null = none (0007_scale). */
    nextDigestAt: integer("next_digest_at").default(0),
  },
  (t) => [index("users_next_digest").on(t.nextDigestAt).where(sql`next_digest_at IS NOT NULL`)],
);

export type { ThreadStatus };

export const threads = sqliteTable(
  "threads",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["track", "every"] }).notNull(),
    status: text("status", { enum: THREAD_STATUSES }).notNull(),
    address: text("address").notNull(),
    recurrence: text("recurrence"),
    explicitFirst: integer("explicit_first", { mode: "boolean" }).notNull().default(false),
    subject: text("subject").notNull(),
    messageId: text("message_id").notNull(),
    referencesJson: text("references_json").notNull().default("[]"),
    contactsJson: text("contacts_json").notNull().default("[]"),
    snippet: text("snippet").notNull().default(""),
    dateHeader: text("date_header"),
    sentAt: integer("sent_at").notNull(),
    step: integer("step").notNull().default(1),
    dueAt: integer("due_at"),
    lastActivityAt: integer("last_activity_at").notNull(),
    parseError: text("parse_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    leaseUntil: integer("lease_until"),
    remindersSent: integer("reminders_sent").notNull().default(0),
    /** 1 while the owner is paused: out of the claim's index, due_at kept (0007_scale). */
    held: integer("held", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("threads_due")
      .on(t.dueAt)
      .where(sql`status = 'scheduled' AND held = 0 AND lease_until IS NULL`),
    index("threads_lease").on(t.leaseUntil).where(sql`lease_until IS NOT NULL`),
    index("threads_user_status").on(t.userId, t.status, t.dueAt),
    index("threads_user_status_updated").on(t.userId, t.status, t.updatedAt, t.id),
    index("threads_held").on(t.userId).where(sql`held = 1`),
  ],
);

export const threadMessages = sqliteTable(
  "thread_messages",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.messageId] }),
    index("thread_messages_thread").on(t.threadId),
    index("thread_messages_message").on(t.messageId),
  ],
);

export const inbound = sqliteTable(
  "inbound",
  {
    id: text("id").primaryKey(),
    receivedAt: integer("received_at").notNull(),
    envelopeFrom: text("envelope_from").notNull(),
    envelopeTo: text("envelope_to").notNull(),
    headerFrom: text("header_from"),
    messageId: text("message_id"),
    subject: text("subject"),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    threadId: text("thread_id"),
    outcome: text("outcome").notNull(),
    detail: text("detail"),
  },
  (t) => [
    index("inbound_received").on(t.receivedAt),
    index("inbound_user").on(t.userId),
    index("inbound_header_from").on(t.headerFrom),
    index("inbound_envelope_from").on(t.envelopeFrom),
    index("inbound_thread").on(t.threadId),
  ],
);

/** What became of an outgoing email (migrations/0010_suppression.sql holds the CHECK). */
const DELIVERY_STATUSES = ["pending", "sent", "failed", "unknown", "suppressed"] as const;

export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    threadId: text("thread_id"),
    kind: text("kind").notNull(),
    step: integer("step"),
    payload: text("payload").notNull(),
    /** `suppressed`: never sent, its recipient is on the suppression list (0010). */
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    leaseUntil: integer("lease_until"),
    firstAttemptAt: integer("first_attempt_at"),
    lastError: text("last_error"),
    providerId: text("provider_id"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    batchKey: text("batch_key"),
    subject: text("subject").notNull().default(""),
  },
  (t) => [
    index("deliveries_pending").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index("deliveries_thread").on(t.threadId),
    index("deliveries_batch").on(t.batchKey).where(sql`status = 'pending'`),
    index("deliveries_user_status").on(t.userId, t.status, t.createdAt, t.id),
    index("deliveries_sent").on(t.sentAt).where(sql`sent_at IS NOT NULL`),
    index("deliveries_suppressed").on(t.createdAt).where(sql`status = 'suppressed'`),
  ],
);

export const devOutbox = sqliteTable("dev_outbox", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  createdAt: integer("created_at").notNull(),
  fromAddress: text("from_address").notNull(),
  toAddress: text("to_address").notNull(),
  replyTo: text("reply_to"),
  subject: text("subject").notNull(),
  textBody: text("text_body").notNull(),
  htmlBody: text("html_body").notNull(),
  headersJson: text("headers_json").notNull().default("{}"),
});

export type UserRow = typeof users.$inferSelect;
export type ThreadRow = typeof threads.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;

export type EventKind =
  | "outreach"
  | "reminder"
  | "followup"
  | "reply"
  | "call"
  | "snooze"
  | "stop"
  | "done";

export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: text("thread_id").references(() => threads.id, { onDelete: "cascade" }),
    kind: text("kind", {
      enum: ["outreach", "reminder", "followup", "reply", "call", "snooze", "stop", "done"],
    }).notNull(),
    source: text("source", { enum: ["email", "web", "detected", "cron"] }).notNull(),
    at: integer("at").notNull(),
    /** Set for events that must be recorded once, e.g. a reminder's delivery id (0007_scale). */
    dedupeKey: text("dedupe_key"),
  },
  (t) => [
    index("events_user_at").on(t.userId, t.at),
    index("events_thread").on(t.threadId),
    uniqueIndex("events_dedupe").on(t.dedupeKey).where(sql`dedupe_key IS NOT NULL`),
  ],
);

/** Rate limits: `<purpose>:<address or user id>` and when it last fired. */
export const notices = sqliteTable(
  "notices",
  {
    key: text("key").primaryKey(),
    at: integer("at").notNull(),
  },
  (t) => [index("notices_at").on(t.at)],
);

// The web page (migrations/0004_web.sql): only hashes of sign-in tokens and session ids.

export const loginTokens = sqliteTable(
  "login_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("login_tokens_user").on(t.userId), index("login_tokens_expires").on(t.expiresAt)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [
    index("sessions_user").on(t.userId),
    index("sessions_expires").on(t.expiresAt),
    index("sessions_last_seen").on(t.lastSeenAt),
  ],
);

// Trust (migrations/0008_trust.sql): mail held until its sender confirms, confirmation links
// (hashes only), and the log that limits automatic answers.

export const signupHolds = sqliteTable(
  "signup_holds",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    envelopeFrom: text("envelope_from").notNull(),
    envelopeTo: text("envelope_to").notNull(),
    rawBase64: text("raw_base64").notNull(),
    bytes: integer("bytes").notNull(),
    truncated: integer("truncated", { mode: "boolean" }).notNull().default(false),
    receivedAt: integer("received_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [
    index("signup_holds_email").on(t.email, t.receivedAt),
    index("signup_holds_expires").on(t.expiresAt),
  ],
);

export const signupLinks = sqliteTable(
  "signup_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("signup_links_email").on(t.email), index("signup_links_expires").on(t.expiresAt)],
);

export const answerLog = sqliteTable(
  "answer_log",
  {
    id: integer("id").primaryKey(),
    key: text("key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("answer_log_key").on(t.key, t.at), index("answer_log_at").on(t.at)],
);

// Bounces and complaints (migrations/0010_suppression.sql): addresses Sprout sends nothing
// to, and the webhook message ids already acted on.

/** Why an address is suppressed: a permanent bounce, a spam report, or Resend's own list. */
const SUPPRESSION_CAUSES = ["bounce", "complaint", "provider"] as const;
export type SuppressionCause = (typeof SUPPRESSION_CAUSES)[number];

export const suppressions = sqliteTable("suppressions", {
  address: text("address").primaryKey(),
  cause: text("cause", { enum: SUPPRESSION_CAUSES }).notNull(),
  eventType: text("event_type").notNull(),
  detail: text("detail").notNull().default(""),
  eventId: text("event_id").notNull(),
  emailId: text("email_id"),
  createdAt: integer("created_at").notNull(),
});

export type SuppressionRow = typeof suppressions.$inferSelect;

export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [index("webhook_events_received").on(t.receivedAt)],
);
