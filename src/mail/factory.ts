import type { Config } from "../config";
import type { Db } from "../db/client";
import type { Mailer } from "./mailer";
import { OutboxMailer } from "./outbox-mailer";
import { ResendMailer } from "./resend-mailer";

/** Resend when RESEND_API_KEY is set; otherwise the local outbox (SPEC section 8). */
export function makeMailer(config: Config, db: Db, now: () => number): Mailer {
  return config.resend === null
    ? new OutboxMailer(db, now)
    : new ResendMailer(config.resend.apiKey, config.resend.baseUrl);
}
