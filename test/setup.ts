import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Every workerd test file starts from the real migrations (D1 storage is per test file).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
