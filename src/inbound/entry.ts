import { describeConfigError, loadConfig } from "../config";
import { openDb } from "../db/client";
import { deliverQueued } from "../mail/deliver";
import { makeMailer } from "../mail/factory";
import { outcomeLabel } from "./context";
import { handleEmail } from "./handle-email";
import { describeRejection } from "./rejection";

/**
 * The Email Worker entry: builds dependencies, handles the message, maps the outcome to
 * SMTP (reject in-session, or accept), then sends what the message asked for.
 */
export async function receiveEmail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const config = loadConfig(env);
  // A Worker that cannot sign must not run; throwing makes Email Routing answer with a
  // temporary failure, so the sending server retries later and nothing is lost.
  if (!config.ok) throw new Error(describeConfigError(config.error));
  const now = Date.now();
  const db = openDb(env.DB);
  const mailer = makeMailer(config.value, db, () => now);
  const outcome = await handleEmail(message, { db, mailer, config: config.value, now });
  switch (outcome.kind) {
    case "rejected": {
      const reason = describeRejection(outcome.rejection, config.value.mailDomain);
      message.setReject(reason);
      console.log(JSON.stringify({ event: "email", outcome: "rejected", reason }));
      return;
    }
    case "ignored":
    case "duplicate":
      console.log(JSON.stringify({ event: "email", outcome: outcome.kind }));
      return;
    case "handled": {
      // Already committed: a failure here leaves the mail queued for the cron job to retry.
      const sent = await deliverQueued(db, mailer, now, outcome.deliveryIds);
      console.log(
        JSON.stringify({
          event: "email",
          outcome: outcomeLabel(outcome.outcome),
          thread: outcome.threadId,
          ...sent,
        }),
      );
      return;
    }
  }
}
