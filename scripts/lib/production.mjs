// Helpers for `npm run setup` and `npm run deploy`: running wrangler, reading and editing the
// [env.production] section of wrangler.toml, and telling what is still unfinished in it.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { unstable_readConfig } from "wrangler";

export const ENV = "production";
export const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Runs wrangler with `args`: the `wrangler` first on PATH (npm run puts the project's own
 * there, and a test can put a stand-in before it), else the installed package.
 * `capture` collects the output instead of showing it.
 */
export function wrangler(args, { capture = false } = {}) {
  const options = {
    encoding: "utf8",
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  };
  let run = spawnSync("wrangler", args, options);
  if (run.error?.code === "ENOENT") {
    const require = createRequire(import.meta.url);
    const bin = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
    run = spawnSync(process.execPath, [bin, ...args], options);
  }
  return { status: run.status ?? 1, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
}

/** The production environment as wrangler reads it (vars, D1 binding, name). */
export function readProduction(configPath) {
  return unstable_readConfig({ config: configPath, env: ENV });
}

/** The production D1 binding (the one named DB). */
export function productionDatabase(config) {
  const db = config.d1_databases.find((d) => d.binding === "DB");
  if (db === undefined) throw new Error(`[env.${ENV}] has no D1 binding named DB`);
  return db;
}

/**
 * Sets `key = value` in the TOML section whose header is exactly `header` (a string value is
 * quoted, `{ raw }` is written as is): it replaces the key's line, or a commented-out
 * `# key = ...` line, else adds one at the section's end. The rest of the file, comments
 * included, stays as it was.
 */
export function setTomlValue(text, header, key, value) {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === header);
  if (start < 0) throw new Error(`${header} not found in the configuration`);
  let end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  if (end < 0) end = lines.length;
  const line = `${key} = ${typeof value === "string" ? JSON.stringify(value) : value.raw}`;
  const inSection = (re) => lines.findIndex((l, i) => i > start && i < end && re.test(l));
  let at = inSection(new RegExp(`^\\s*${key}\\s*=`));
  if (at < 0) at = inSection(new RegExp(`^\\s*#\\s*${key}\\s*=`));
  if (at >= 0) {
    lines[at] = line;
  } else {
    let last = end;
    while (last - 1 > start && (lines[last - 1] ?? "").trim() === "") last -= 1;
    lines.splice(last, 0, line);
  }
  return lines.join("\n");
}

/** Edits the configuration file in place, and checks that wrangler still reads it. */
export function editConfig(configPath, edit) {
  const before = readFileSync(configPath, "utf8");
  const after = edit(before);
  if (after === before) return;
  writeFileSync(configPath, after);
  try {
    readProduction(configPath);
  } catch (error) {
    writeFileSync(configPath, before);
    throw new Error(`the edited configuration did not parse, so it was left as it was: ${error}`);
  }
}

/** The sending domain inside FROM_ADDRESS ("Sprout <sprout@x.example>" -> "x.example"). */
export function fromDomain(fromAddress) {
  const address = /<([^<>]+)>/.exec(fromAddress)?.[1] ?? fromAddress;
  return address.split("@")[1]?.trim().toLowerCase() ?? "";
}

/** What still stops a production deploy, in words; empty when nothing does. */
export function unfinished(config) {
  const vars = config.vars ?? {};
  const problems = [];
  const db = productionDatabase(config);
  if (db.database_id === undefined || db.database_id === PLACEHOLDER_ID) {
    problems.push("the D1 database id is not set (npm run setup creates the database)");
  }
  const mailDomain = String(vars.MAIL_DOMAIN ?? "");
  if (mailDomain === "" || /(^|\.)example\.(com|org|net)$/.test(mailDomain)) {
    problems.push(`MAIL_DOMAIN is "${mailDomain}": set your own (npm run setup -- --domain ...)`);
  }
  const publicUrl = String(vars.PUBLIC_URL ?? "");
  if (!publicUrl.startsWith("https://") || /[./]example\./.test(publicUrl)) {
    problems.push(`PUBLIC_URL is "${publicUrl}": set your https address (--url ...)`);
  }
  const from = String(vars.FROM_ADDRESS ?? "");
  const sender = fromDomain(from);
  if (sender === "" || /(^|\.)example\.(com|org|net)$/.test(sender)) {
    problems.push(`FROM_ADDRESS is "${from}": use an address at your Resend domain (--from ...)`);
  }
  if (String(vars.DEV_OUTBOX ?? "false").toLowerCase() === "true") {
    problems.push("DEV_OUTBOX is true: never deploy the development outbox");
  }
  return problems;
}
