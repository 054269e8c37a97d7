// npm run setup and npm run deploy cannot reach Cloudflare here, so they run against a
// stand-in `wrangler` put first on PATH: it records every command it is given and answers
// like the real one. The configuration they write is then read by the real wrangler (its
// own parser, and a production dry-run build).
import { execFile } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
const WRANGLER = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const NEW_ID = "5f2c1d9e-8a47-4b1e-9c3d-2e6f7a8b9c0d";
const OLD_ID = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
const ZERO_ID = "00000000-0000-0000-0000-000000000000";

let dir: string;
let bin: string;
let config: string;
let log: string;

// The stand-in: logs argv as one JSON line, then answers as wrangler 4 does.
const FAKE_WRANGLER = `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_WRANGLER_LOG, JSON.stringify(args) + "\\n");
const mode = (process.env.FAKE_WRANGLER_MODE || "").split(",");
const cmd = args.filter((a) => !a.startsWith("-")).slice(0, 2).join(" ");
if (cmd.startsWith("whoami")) {
  console.log(mode.includes("logged-out")
    ? "You are not authenticated. Please run \`wrangler login\`."
    : "You are logged in with an OAuth Token, associated with the email me@acme.test.");
} else if (cmd === "d1 list") {
  console.log(JSON.stringify(mode.includes("existing")
    ? [{ uuid: "${OLD_ID}", name: "sprout", created_at: "2026-01-01T00:00:00Z" }] : []));
} else if (cmd === "d1 create") {
  console.log("✅ Successfully created DB '" + args[2] + "' in region WEUR");
  console.log("To access your new D1 Database in your Worker, add the following snippet:");
  console.log(JSON.stringify({ d1_databases: [{ binding: "sprout", database_name: args[2],
    database_id: "${NEW_ID}" }] }, null, 2));
} else if (cmd === "secret list") {
  if (mode.includes("no-worker")) { console.error("This Worker does not exist"); process.exit(1); }
  console.log(JSON.stringify([{ name: "SIGNING_SECRET", type: "secret_text" }]));
} else if (cmd === "d1 migrations") {
  if (mode.includes("migrations-fail")) { console.error("migration 0003 failed"); process.exit(1); }
  console.log("Migrations applied.");
} else if (cmd === "deploy") {
  console.log("Uploaded sprout");
}
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sprout-setup-"));
  bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "wrangler"), FAKE_WRANGLER);
  chmodSync(join(bin, "wrangler"), 0o755);
  // The real wrangler builds from a config beside the sources, as in the repository.
  symlinkSync(join(ROOT, "src"), join(dir, "src"));
  symlinkSync(join(ROOT, "migrations"), join(dir, "migrations"));
  config = join(dir, "wrangler.toml");
  log = join(dir, "calls.jsonl");
});
beforeEach(() => {
  copyFileSync(join(ROOT, "wrangler.toml"), config);
  writeFileSync(log, "");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a script (or the real wrangler) with the stand-in first on PATH. */
function run(file: string, args: string[], mode = ""): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [file, ...args],
      {
        cwd: dir,
        timeout: 60_000,
        env: {
          ...process.env,
          PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
          FAKE_WRANGLER_LOG: log,
          FAKE_WRANGLER_MODE: mode,
          WRANGLER_SEND_METRICS: "false",
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}

const setup = (args: string[], mode = "") => run(join(ROOT, "scripts/setup.mjs"), args, mode);
const deploy = (mode = "") => run(join(ROOT, "scripts/deploy.mjs"), [], mode);
const calls = (): string[][] =>
  readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as string[]);

/** The configuration as wrangler itself reads it. */
async function readConfig(env?: string) {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config, env });
}

const OURS = ["--domain", "followup.acme.test", "--url", "https://sprout.acme.test"];

describe("npm run setup against a stand-in wrangler", () => {
  it("stops before doing anything when not logged in", async () => {
    const before = readFileSync(config, "utf8");
    const res = await setup(OURS, "logged-out");
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("npx wrangler login");
    expect(calls()).toEqual([["whoami"]]);
    expect(readFileSync(config, "utf8")).toBe(before);
  });

  it("creates the database, writes its id and the values given, and says what is left", async () => {
    const res = await setup([...OURS, "--owners", "me@acme.test", "--location", "weur"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(calls().map((c) => c.slice(0, 2).join(" "))).toEqual([
      "whoami",
      "d1 list",
      "d1 create",
      "secret list",
    ]);
    expect(calls()[2]).toEqual(["d1", "create", "sprout", "--location", "weur"]);

    const production = await readConfig("production");
    expect(production.d1_databases[0]?.database_id).toBe(NEW_ID);
    expect(production.vars).toMatchObject({
      MAIL_DOMAIN: "followup.acme.test",
      PUBLIC_URL: "https://sprout.acme.test",
      FROM_ADDRESS: "Sprout <sprout@followup.acme.test>",
      OWNERS: "me@acme.test",
      DEV_OUTBOX: "false",
    });
    expect(production.routes).toEqual([{ pattern: "sprout.acme.test", custom_domain: true }]);
    // The local settings at the top are untouched.
    const local = await readConfig();
    expect(local.d1_databases[0]?.database_id).toBe(ZERO_ID);
    expect(local.vars).toMatchObject({ MAIL_DOMAIN: "sprout.localhost", DEV_OUTBOX: "false" });
    expect(local.routes).toBeUndefined();

    expect(res.stdout).toContain(`Created D1 database "sprout": ${NEW_ID}`);
    expect(res.stdout).toContain(
      "npx wrangler secret put SIGNING_SECRET --env production    (already set)",
    );
    expect(res.stdout).toContain("npx wrangler secret put RESEND_API_KEY --env production");
    expect(res.stdout).toContain("https://sprout.acme.test/webhooks/resend");
    expect(res.stdout).toContain('TXT followup.acme.test  "v=spf1 include:_spf.mx.cloudflare.net');
    expect(res.stdout).toContain("TXT resend._domainkey.followup.acme.test");
    expect(res.stdout).toContain("TXT _dmarc.followup.acme.test");
    expect(res.stdout).not.toContain("is not set");
  });

  it("is safe to run again: no second database, the same file", async () => {
    await setup(OURS);
    const first = readFileSync(config, "utf8");
    writeFileSync(log, "");
    const again = await setup(OURS, "no-worker");
    expect(again.code).toBe(0);
    expect(calls().map((c) => c[0])).toEqual(["whoami", "secret"]);
    expect(again.stdout).toContain(`is already set: ${NEW_ID}`);
    expect(readFileSync(config, "utf8")).toBe(first);
    // No Worker yet: every secret is listed as still to set.
    expect(again.stdout).not.toContain("already set)");
  });

  it("adopts a database that already exists instead of creating another", async () => {
    const res = await setup([], "existing");
    expect(res.code).toBe(0);
    expect(calls().some((c) => c[1] === "create")).toBe(false);
    expect((await readConfig("production")).d1_databases[0]?.database_id).toBe(OLD_ID);
    // Nothing else was given: the example values are reported, not guessed.
    expect(res.stdout).toContain('MAIL_DOMAIN is "sprout.example.com"');
    expect(res.stdout).toContain('PUBLIC_URL is "https://sprout.example.workers.dev"');
  });

  it("refuses a plain-http URL or a domain that would break the file, changing nothing", async () => {
    const before = readFileSync(config, "utf8");
    const http = await setup(["--url", "http://sprout.acme.test"]);
    expect(http.code).toBe(1);
    expect(http.stderr).toContain("--url must be an https origin");
    const injected = await setup(["--domain", 'x.test"\n[vars]\nDEV_OUTBOX = "true']);
    expect(injected.code).toBe(1);
    expect(injected.stderr).toContain("--domain must be a domain name");
    expect(calls().some((c) => c[0] === "d1")).toBe(false);
    expect(readFileSync(config, "utf8")).toBe(before);
  });
});

describe("npm run deploy against a stand-in wrangler", () => {
  it("refuses while production holds example values, and runs nothing", async () => {
    const res = await deploy();
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("the D1 database id is not set");
    expect(res.stderr).toContain('MAIL_DOMAIN is "sprout.example.com"');
    expect(calls()).toEqual([]);
  });

  it("refuses a production section that turns the dev outbox on", async () => {
    await setup(OURS);
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace(/DEV_OUTBOX = "false"\s*$/, 'DEV_OUTBOX = "true"\n'),
    );
    writeFileSync(log, "");
    const res = await deploy();
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("DEV_OUTBOX is true");
    expect(calls()).toEqual([]);
  });

  it("applies the remote migrations of production, then deploys production", async () => {
    await setup(OURS);
    writeFileSync(log, "");
    const res = await deploy();
    expect(res.code).toBe(0);
    expect(calls()).toEqual([
      [
        "d1",
        "migrations",
        "apply",
        "DB",
        "--remote",
        "--config",
        "wrangler.toml",
        "--env",
        "production",
      ],
      ["deploy", "--config", "wrangler.toml", "--env", "production"],
    ]);
  });

  it("does not deploy when the migrations fail", async () => {
    await setup(OURS);
    writeFileSync(log, "");
    const res = await deploy("migrations-fail");
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("the Worker was not deployed");
    expect(calls().map((c) => c[0])).toEqual(["d1"]);
  });
});

describe("the production configuration, built by the real wrangler", () => {
  it("the repository's [env.production] builds with production values only", async () => {
    const res = await run(WRANGLER, [
      "deploy",
      "--dry-run",
      "--env",
      "production",
      "--config",
      join(ROOT, "wrangler.toml"),
      "--outdir",
      join(dir, "dist-repo"),
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("env.DB (sprout)");
    expect(res.stdout).toContain('env.SENDER_AUTH ("enforce")');
    expect(res.stdout).toContain('env.DEV_OUTBOX ("false")');
    expect(res.stdout).not.toContain("localhost");
  });

  it("what setup wrote builds too", async () => {
    await setup([...OURS, "--owners", "me@acme.test"]);
    const res = await run(WRANGLER, [
      "deploy",
      "--dry-run",
      "--env",
      "production",
      "--config",
      config,
      "--outdir",
      join(dir, "dist-setup"),
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('env.MAIL_DOMAIN ("followup.acme.test")');
    expect(res.stdout).toContain('env.PUBLIC_URL ("https://sprout.acme.test")');
    expect(res.stdout).toContain('env.OWNERS ("me@acme.test")');
  });
});
