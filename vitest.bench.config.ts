import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// `npm run bench`: benchmarks inside workerd against real local D1 (not part of npm test:
// figures are printed for the README, not asserted against a clock).
const TEST_MIGRATIONS = await readD1Migrations("migrations");

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
          DEV_OUTBOX: "false",
          SIGNING_SECRET: "bench-signing-secret-0123456789abcdef",
          RESEND_API_KEY: "re_bench",
          RESEND_BASE_URL: "http://resend.fake",
          CORPUS: {},
          CORPUS_NOTE: "not used by benchmarks",
        },
      },
    }),
  ],
  test: {
    include: ["bench/**/*.bench-test.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    onConsoleLog: (log) => !log.startsWith('{"event":'),
  },
});
