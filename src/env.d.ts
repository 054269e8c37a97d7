// Secrets that `wrangler types` cannot see in wrangler.toml (set with `wrangler secret put`).
interface SproutSecrets {
  SIGNING_SECRET?: string;
  RESEND_API_KEY?: string;
  RESEND_WEBHOOK_SECRET?: string;
}
interface Env extends SproutSecrets {}
declare namespace Cloudflare {
  interface Env extends SproutSecrets {}
}
