#!/usr/bin/env node
// `npm run dev [-- wrangler dev flags]`: applies every migration to the local D1 database,
// then starts `wrangler dev` with the dev outbox on and the local cron endpoint enabled.
// Defaults such as the port live in wrangler.toml's [dev] section, so a flag given after
// `--` (for example `--port 8788`) never appears twice. Every var this script sets can be
// overridden with `--var NAME:value`.
//
// PUBLIC_URL follows the port the server starts on (emailed links must point at it), and
// once the Worker answers, where it runs is written to .wrangler/sprout-dev.json so that
// `npm run try`, `npm run demo` and `npm run reply` find it.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { devStatePath, removeDevState, writeDevState } from "./lib/dev-state.mjs";

const require = createRequire(import.meta.url);
const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const args = process.argv.slice(2);
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

/** The value of `--name value` or `--name=value` among the arguments, if given. */
function flag(...names) {
  for (const [i, arg] of args.entries()) {
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/** Every `--var NAME:value` given (wrangler takes several values after one --var too). */
function givenVars() {
  const vars = new Map();
  let inVar = false;
  for (const arg of args) {
    if (arg.startsWith("-")) {
      inVar = arg === "--var" || arg.startsWith("--var=");
      if (!arg.startsWith("--var=")) continue;
    } else if (!inVar) {
      continue;
    }
    const pair = arg.startsWith("--var=") ? arg.slice("--var=".length) : arg;
    const colon = pair.indexOf(":");
    if (colon > 0) vars.set(pair.slice(0, colon), pair.slice(colon + 1));
  }
  return vars;
}

/**
 * `key = value` of one top-level table of wrangler.toml ([dev], [vars]): only the simple
 * one-line strings and numbers Sprout's file uses there. (wrangler's own reader costs
 * seconds of start-up; the real parse happens in wrangler dev a moment later anyway.)
 */
function tomlTable(path, table) {
  const values = {};
  let inside = false;
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const header = /^\s*\[+\s*([^\]]+?)\s*\]+/.exec(line);
    if (header !== null) inside = header[1] === table;
    const pair = inside
      ? /^\s*([A-Za-z0-9_]+)\s*=\s*(?:"([^"]*)"|(\d+))\s*(?:#.*)?$/.exec(line)
      : null;
    if (pair?.[1] !== undefined) values[pair[1]] = pair[2] ?? Number(pair[3]);
  }
  return values;
}

const configPath = flag("--config", "-c") ?? "wrangler.toml";
const devTable = tomlTable(configPath, "dev");
const port = Number(flag("--port") ?? devTable.port ?? 8787);
const protocol = flag("--local-protocol") ?? devTable.local_protocol ?? "http";
const ip = flag("--ip") ?? devTable.ip ?? "localhost";
const host = ["127.0.0.1", "0.0.0.0", "::", "::1", "*", "localhost"].includes(ip)
  ? "localhost"
  : ip;
const url = `${protocol}://${host}:${port}`;

// Migrations must land where `wrangler dev` will look.
const persist = [];
const persistAt = args.findIndex((a) => a === "--persist-to" || a.startsWith("--persist-to="));
if (persistAt >= 0) {
  const given = args[persistAt] ?? "";
  persist.push(...(given.includes("=") ? [given] : [given, args[persistAt + 1] ?? ""]));
}
const migrate = spawnSync(
  process.execPath,
  [wrangler, "d1", "migrations", "apply", "DB", "--local", ...persist],
  { stdio: ["ignore", "inherit", "inherit"], env },
);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

// Local defaults, each only when the same var was not given on the command line.
const vars = givenVars();
const defaults = {
  DEV_OUTBOX: "true",
  // Local mail carries no authentication stamp (SPEC section 9).
  SENDER_AUTH: "off",
  // Locally, mail from you@example.com is accepted unless OWNERS is given.
  OWNERS: "you@example.com",
  // Emailed links point at this server, whatever port it starts on.
  PUBLIC_URL: url,
};
const extra = [];
for (const [name, value] of Object.entries(defaults)) {
  if (!vars.has(name)) extra.push("--var", `${name}:${value}`);
}
if (!args.includes("--test-scheduled")) extra.push("--test-scheduled");

const child = spawn(process.execPath, [wrangler, "dev", ...extra, ...args], {
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  removeDevState(process.pid);
  process.exit(code ?? (signal ? 1 : 0));
});

// Once the Worker answers, say where it runs for the helper scripts.
const owner = (vars.get("OWNERS") ?? defaults.OWNERS).split(",")[0]?.trim() ?? "";
const deadline = Date.now() + 120_000;
while (Date.now() < deadline && child.exitCode === null) {
  try {
    if ((await fetch(`${url}/healthz`)).ok && child.exitCode === null) {
      writeDevState({
        url,
        publicUrl: vars.get("PUBLIC_URL") ?? url,
        mailDomain:
          vars.get("MAIL_DOMAIN") ??
          tomlTable(configPath, "vars").MAIL_DOMAIN ??
          "sprout.localhost",
        owner,
        pid: process.pid,
        startedAt: new Date().toISOString(),
      });
      console.log(
        `\nSprout is running at ${url} (recorded in ${devStatePath()} for npm run try, demo and reply).`,
      );
      break;
    }
  } catch {
    // Not listening yet.
  }
  await new Promise((r) => setTimeout(r, 250));
}
