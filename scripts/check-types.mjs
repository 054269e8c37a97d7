#!/usr/bin/env node
// `npm run check:types`: fails when src/worker-configuration.d.ts is not what `npm run typegen`
// would write today (wrangler.toml's vars or bindings changed, or wrangler's output did).
// It generates a fresh copy beside the committed file (same folder, so relative imports in
// it read the same), compares the two and removes the copy.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const committed = "src/worker-configuration.d.ts";
const fresh = `src/.typegen-check-${process.pid}.d.ts`;
const flags = ["--include-runtime=false", "--strict-vars=false"];

try {
  const run = spawnSync(process.execPath, [wrangler, "types", ...flags, fresh], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error("wrangler types failed");
  }
  // The copy's header names its own path; everything else must match byte for byte.
  const expected = readFileSync(fresh, "utf8").replace(fresh, committed);
  if (readFileSync(committed, "utf8") !== expected) {
    console.error(`${committed} is stale: run \`npm run typegen\` and commit the result.`);
    process.exitCode = 1;
  } else {
    console.log(`${committed} is up to date with wrangler.toml.`);
  }
} finally {
  rmSync(fresh, { force: true });
}
