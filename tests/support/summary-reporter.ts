import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends every run with the plain line CI reads: `N passed, N failed`. A test file that fails
 * outside its tests (a beforeAll, a failed import) counts as one failure, even though its tests
 * are then reported as skipped. A note on the PostgreSQL projects (tests/vitest.config.ts sets
 * RT_PG_NOTE) comes just before it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedHere++;
        else skipped++;
      }
      if (mod.state() === "failed" && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    failed += unhandledErrors.length;
    const note = process.env.RT_PG_NOTE ? `\n${process.env.RT_PG_NOTE}` : "";
    const skips = skipped ? `\n${skipped} skipped` : "";
    // The last line is exactly `N passed, N failed`: anything else goes above it.
    process.stdout.write(`${note}${skips}\n${passed} passed, ${failed} failed\n`);
  }
}
