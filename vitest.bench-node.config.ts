import { defineConfig } from "vitest/config";

// `npm run bench`, Node part: CPU timings of pure code, which workerd cannot measure (its
// clock stands still during synchronous code). Figures are printed; nothing here runs in
// `npm test`. Files run one after another so timings do not compete for the CPU.
export default defineConfig({
  test: {
    include: ["bench/node/*.node-bench.ts"],
    environment: "node",
    testTimeout: 600_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
