// Secrets that `wrangler types` cannot see in wrangler.toml (set with `wrangler secret put`).
interface SproutSecrets {
  SIGNING_SECRET?: string;
  RESEND_API_KEY?: string;
  RESEND_WEBHOOK_SECRET?: string;
}
// Optional settings and bindings, absent from the default wrangler.toml (SPEC section 10):
// SEND_RATE and MAX_PER_RUN are vars; SEND_QUEUE is a Cloudflare Queue producer binding whose
// presence moves rendering and sending from the cron run to the queue consumer.
interface SproutOptional {
  SEND_RATE?: string;
  MAX_PER_RUN?: string;
  SEND_QUEUE?: Queue<import("./jobs/queue-message").ReminderMessage>;
}
interface Env extends SproutSecrets, SproutOptional {}
declare namespace Cloudflare {
  interface Env extends SproutSecrets, SproutOptional {}
}
