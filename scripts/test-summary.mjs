#!/usr/bin/env node
// Prints one closing line for all suites, "N passed, N failed, N skipped", from the JSON
// reports that `npm test` writes to test-artifacts/ (CI reads that line).
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of ["test-artifacts/worker.json", "test-artifacts/e2e.json"]) {
  if (!existsSync(file)) {
    console.error(`missing ${file}: did that suite run?`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
