#!/usr/bin/env node
// `npm run dev [-- wrangler dev flags]`: applies every migration to the local D1 database,
// then starts `wrangler dev` with the dev outbox on and the local cron endpoint enabled.
// Defaults such as the port live in wrangler.toml's [dev] section, so a flag given after
// `--` (for example `--port 8788`) never appears twice.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const args = process.argv.slice(2);
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

// Migrations must land where `wrangler dev` will look.
const persist = [];
const persistAt = args.findIndex((a) => a === "--persist-to" || a.startsWith("--persist-to="));
if (persistAt >= 0) {
  const flag = args[persistAt] ?? "";
  persist.push(...(flag.includes("=") ? [flag] : [flag, args[persistAt + 1] ?? ""]));
}
const migrate = spawnSync(
  process.execPath,
  [wrangler, "d1", "migrations", "apply", "DB", "--local", ...persist],
  { stdio: ["ignore", "inherit", "inherit"], env },
);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const extra = ["--var", "DEV_OUTBOX:true"];
// Locally, mail from you@example.com is accepted unless OWNERS is given.
if (!args.some((a) => a.startsWith("OWNERS:"))) extra.push("--var", "OWNERS:you@example.com");
if (!args.includes("--test-scheduled")) extra.push("--test-scheduled");

const child = spawn(process.execPath, [wrangler, "dev", ...extra, ...args], {
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
