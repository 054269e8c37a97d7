#!/usr/bin/env node
// `npm run setup [-- --domain followup.example.com --url https://sprout.example.com
//   --from "Sprout <sprout@followup.example.com>" --owners you@example.com
//   --location weur --config wrangler.toml]`
// Once you are logged in to Cloudflare (`npx wrangler login`): writes the values you give
// into [env.production] of wrangler.toml, creates the production D1 database (or finds the
// one that exists) and writes its id there, then prints what is still to do: the secrets,
// the DNS records, and anything in the production settings still left at an example value.
// Running it again is safe: it never creates a second database.
import { option } from "./lib/local.mjs";
import {
  ENV,
  editConfig,
  fromDomain,
  PLACEHOLDER_ID,
  productionDatabase,
  readProduction,
  setTomlValue,
  unfinished,
  wrangler,
} from "./lib/production.mjs";

const args = process.argv.slice(2);
const configPath = option(args, "--config", "wrangler.toml");
const given = {
  domain: option(args, "--domain"),
  url: option(args, "--url"),
  from: option(args, "--from"),
  owners: option(args, "--owners"),
  location: option(args, "--location"),
  jurisdiction: option(args, "--jurisdiction"),
};
const fail = (message) => {
  console.error(`npm run setup: ${message}`);
  process.exit(1);
};
if (args.length > 0) fail(`unknown argument ${args[0]}`);

// 1. Logged in? (whoami answers 0 either way; its words tell.)
const who = wrangler(["whoami"], { capture: true });
if (who.status !== 0 || /not authenticated/i.test(who.stdout + who.stderr)) {
  fail("you are not logged in to Cloudflare. Run `npx wrangler login` first, then this again.");
}
console.log("1. Logged in to Cloudflare.");

// 2. The values given on the command line, into [env.production] (checked before writing).
const vars = `[env.${ENV}.vars]`;
if (given.url !== undefined && !/^https:\/\/[^/\s]+\/?$/.test(given.url)) {
  fail(`--url must be an https origin such as https://sprout.example.com, not "${given.url}"`);
}
if (given.domain !== undefined && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(given.domain)) {
  fail(`--domain must be a domain name such as followup.example.com, not "${given.domain}"`);
}
editConfig(configPath, (text) => {
  let out = text;
  const current = readProduction(configPath).vars ?? {};
  if (given.domain !== undefined) {
    out = setTomlValue(out, vars, "MAIL_DOMAIN", given.domain.toLowerCase());
    // A sender still at the example domain follows the mail domain.
    if (given.from === undefined && /example\.com>?$/.test(String(current.FROM_ADDRESS))) {
      out = setTomlValue(out, vars, "FROM_ADDRESS", `Sprout <sprout@${given.domain}>`);
    }
  }
  if (given.from !== undefined) out = setTomlValue(out, vars, "FROM_ADDRESS", given.from);
  if (given.owners !== undefined) out = setTomlValue(out, vars, "OWNERS", given.owners);
  if (given.url !== undefined) {
    const url = given.url.replace(/\/+$/, "");
    out = setTomlValue(out, vars, "PUBLIC_URL", url);
    const host = new URL(url).hostname;
    if (!host.endsWith(".workers.dev")) {
      // A custom domain: Cloudflare creates its DNS record and certificate on deploy.
      out = setTomlValue(out, `[env.${ENV}]`, "routes", {
        raw: `[{ pattern = ${JSON.stringify(host)}, custom_domain = true }]`,
      });
    }
  }
  return out;
});
if (Object.values(given).some((v) => v !== undefined)) {
  console.log(`2. Wrote the values you gave into [env.${ENV}] of ${configPath}.`);
}

// 3. The production database: found by name, or created; its id written into the section.
const db = productionDatabase(readProduction(configPath));
if (db.database_id !== undefined && db.database_id !== PLACEHOLDER_ID) {
  console.log(`3. D1 database "${db.database_name}" is already set: ${db.database_id}.`);
} else {
  const listed = wrangler(["d1", "list", "--json"], { capture: true });
  let id;
  try {
    const found = JSON.parse(listed.stdout).find((d) => d.name === db.database_name);
    id = found?.uuid;
  } catch {
    // Not JSON (an older wrangler, or an error): creating will tell.
  }
  if (id === undefined) {
    const extra = [];
    if (given.location !== undefined) extra.push("--location", given.location);
    if (given.jurisdiction !== undefined) extra.push("--jurisdiction", given.jurisdiction);
    const created = wrangler(["d1", "create", db.database_name, ...extra], { capture: true });
    if (created.status !== 0)
      fail(`wrangler d1 create failed:\n${created.stdout}${created.stderr}`);
    id = /"?database_id"?\s*[=:]\s*"([0-9a-f-]{36})"/i.exec(created.stdout)?.[1];
    if (id === undefined) fail(`could not read the new database's id from:\n${created.stdout}`);
    console.log(`3. Created D1 database "${db.database_name}": ${id}.`);
  } else {
    console.log(`3. Found the existing D1 database "${db.database_name}": ${id}.`);
  }
  editConfig(configPath, (text) =>
    setTomlValue(text, `[[env.${ENV}.d1_databases]]`, "database_id", id),
  );
  console.log(`   Wrote its id into [[env.${ENV}.d1_databases]] of ${configPath}.`);
}

// 4. What is left: secrets, DNS, example values.
const config = readProduction(configPath);
const v = config.vars ?? {};
const mailDomain = String(v.MAIL_DOMAIN);
const sendDomain = fromDomain(String(v.FROM_ADDRESS));
let secretsSet = [];
const secrets = wrangler(["secret", "list", "--env", ENV, "--format", "json"], { capture: true });
try {
  secretsSet = JSON.parse(secrets.stdout).map((s) => s.name);
} catch {
  // No Worker of that name yet (secret put creates it), or no JSON: list them all as to do.
}
const secretHelp = {
  SIGNING_SECRET: "32 or more random characters: openssl rand -base64 32",
  RESEND_API_KEY: "a Resend API key with sending access",
  RESEND_WEBHOOK_SECRET: `the signing secret (whsec_...) of a Resend webhook to ${v.PUBLIC_URL}/webhooks/resend`,
};
console.log("\n4. Still to do (docs/deploy.md explains each step):");
const todo = unfinished(config);
if (todo.length > 0) {
  console.log(`\n   In [env.${ENV}] of ${configPath}:`);
  for (const item of todo) console.log(`   - ${item}`);
}
console.log("\n   Secrets (each prompts for its value):");
for (const [name, help] of Object.entries(secretHelp)) {
  const state = secretsSet.includes(name) ? "already set" : help;
  console.log(`   - npx wrangler secret put ${name} --env ${ENV}    (${state})`);
}
console.log(
  `\n   DNS records for ${mailDomain} (receiving: Email Routing adds these when you enable it):`,
);
console.log(
  `   - MX  ${mailDomain}  route1.mx.cloudflare.net, route2..., route3... (Cloudflare's values)`,
);
console.log(`   - TXT ${mailDomain}  "v=spf1 include:_spf.mx.cloudflare.net ~all"`);
console.log(
  `\n   DNS records for ${sendDomain} (sending: copy the exact values from Resend's domain page):`,
);
console.log(`   - MX  send.${sendDomain}  feedback-smtp.<region>.amazonses.com (priority 10)`);
console.log(`   - TXT send.${sendDomain}  "v=spf1 include:amazonses.com ~all"`);
console.log(`   - TXT resend._domainkey.${sendDomain}  "p=..." (DKIM key)`);
console.log(`   - TXT _dmarc.${sendDomain}  "v=DMARC1; p=none; rua=mailto:<you>" (then tighten)`);
console.log(
  "\n   Then: npm run deploy; in Email Routing, a catch-all rule -> Send to a Worker -> ",
);
console.log(`   ${config.name}; and mail help@${mailDomain} from an owner address to try it.`);
