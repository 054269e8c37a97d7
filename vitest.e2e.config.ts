import { defineConfig } from "vitest/config";

// The Node-side suites: black-box tests that drive `wrangler dev`, and the browser tests.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
