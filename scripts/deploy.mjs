#!/usr/bin/env node
// `npm run deploy [-- --config wrangler.toml]`: deploys [env.production] of wrangler.toml,
// never the local settings at its top. It refuses while the production section still holds
// an example value or no database id (see npm run setup), then applies the migrations to the
// remote production database, then deploys the Worker with its Cron Trigger.
import { option } from "./lib/local.mjs";
import { ENV, readProduction, unfinished, wrangler } from "./lib/production.mjs";

const args = process.argv.slice(2);
const configPath = option(args, "--config", "wrangler.toml");
const config = ["--config", configPath, "--env", ENV];

const todo = unfinished(readProduction(configPath));
if (todo.length > 0) {
  console.error(`npm run deploy: [env.${ENV}] of ${configPath} is not ready:`);
  for (const item of todo) console.error(`  - ${item}`);
  console.error("See docs/deploy.md; npm run setup fills in most of it.");
  process.exit(1);
}

console.log(`1. Migrations on the remote ${ENV} database`);
const migrated = wrangler(["d1", "migrations", "apply", "DB", "--remote", ...config]);
if (migrated.status !== 0) {
  console.error("npm run deploy: the migrations failed, so the Worker was not deployed.");
  process.exit(migrated.status);
}

console.log(`2. Deploying the ${ENV} Worker`);
const deployed = wrangler(["deploy", ...config]);
process.exit(deployed.status);
