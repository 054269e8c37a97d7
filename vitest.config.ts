import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The workerd suite: every test here runs inside workerd against real local D1 with the
// real migrations applied (test/setup.ts). Node-side suites live in test/e2e.
const TEST_MIGRATIONS = await readD1Migrations("migrations");

// The third-party corpus stays outside the repository (../shared/corpus, or
// SPROUT_CORPUS_DIR). workerd cannot read the host's files, so the files travel to the
// tests as a binding; CORPUS_NOTE says why it is empty when it is.
const CORPUS_DIR = resolve(process.env.SPROUT_CORPUS_DIR ?? "../shared/corpus");
const CORPUS: Record<string, string> = {};
let CORPUS_NOTE = `read from ${CORPUS_DIR}`;
if (existsSync(CORPUS_DIR)) {
  for (const name of readdirSync(CORPUS_DIR)
    .filter((n) => n.endsWith(".eml"))
    .sort()) {
    CORPUS[name] = readFileSync(join(CORPUS_DIR, name)).toString("base64");
  }
} else {
  CORPUS_NOTE = `corpus directory ${CORPUS_DIR} not found (set SPROUT_CORPUS_DIR)`;
}

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS,
          OWNERS: "owner@example.com",
          MAIL_DOMAIN: "sprout.test",
          PUBLIC_URL: "https://sprout.test",
          FROM_ADDRESS: "Sprout <sprout@sprout.test>",
          // Off, as on any https deployment (SPEC 9 refuses DEV_OUTBOX=true with an https
          // PUBLIC_URL). Mail still lands in the dev_outbox table: without RESEND_API_KEY the
          // outbox mailer is used whatever DEV_OUTBOX says; the flag only opens /dev/*.
          DEV_OUTBOX: "false",
          SIGNING_SECRET: "test-signing-secret-0123456789abcdef",
          CORPUS,
          CORPUS_NOTE,
        },
        // The optional queue path (SPEC section 10) under a test-only name, so every other
        // test runs the default path; queue tests pass it as SEND_QUEUE. No consumer: the
        // tests hand what was enqueued to the queue handler themselves.
        queueProducers: { TEST_SEND_QUEUE: "sprout-send-test" },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    setupFiles: ["./test/setup.ts"],
    // A few tests drive 100+ messages through the handler (the corpus, the batch of due
    // reminders): 2.5-4 s alone, but over vitest's 5 s default on a busy shared machine.
    testTimeout: 30_000,
    // The Worker's one-line JSON event logs are for production; keep test output readable.
    onConsoleLog: (log) => !log.startsWith('{"event":'),
  },
});
