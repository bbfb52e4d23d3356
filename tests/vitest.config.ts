import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { pgAvailable, pgBinDir } from "./support/pg-cluster";

const root = fileURLToPath(new URL("..", import.meta.url));
const alias = {
  "~db": fileURLToPath(new URL("../db", import.meta.url)),
  "~emails": fileURLToPath(new URL("../emails", import.meta.url)),
  "~": fileURLToPath(new URL("../app", import.meta.url)),
};

// ── THE POSTGRESQL SWITCH ──────────────────────────────────────────────────────────────────────
// "1" (on): `npm test` (and so CI, .ci/run) also runs every integration file on PostgreSQL
// (project integration-pg) and the PostgreSQL proofs in tests/e2e-pg (project e2e-pg), on a
// throwaway cluster, whenever PostgreSQL's binaries are installed; without them the line before the
// summary says PostgreSQL was skipped. RT_PG_IN_TEST=0 leaves PostgreSQL out for one run.
const PG_IN_NPM_TEST = (process.env.RT_PG_IN_TEST ?? "1") === "1";
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** npm run test:pg: RT_TEST_DB=postgres moves the integration project itself onto PostgreSQL. */
const pgOnly = process.env.RT_TEST_DB === "postgres";
const pgWanted = PG_IN_NPM_TEST || pgOnly;
const pgReady = pgWanted && pgAvailable();
// The summary reporter prints this just before its final line, so a run without PostgreSQL says so.
process.env.RT_PG_NOTE = !pgWanted
  ? "PostgreSQL: not run (RT_PG_IN_TEST=0; npm run test:pg runs it)."
  : !pgReady
    ? `PostgreSQL: SKIPPED, no initdb in ${pgBinDir()} (install Debian's postgresql package or set PG_BIN).`
    : `PostgreSQL: projects ${pgOnly ? "integration (RT_TEST_DB=postgres)" : "integration-pg"} and e2e-pg use a throwaway cluster (${pgBinDir()}).`;

const integration = (name: string): TestProjectInlineConfiguration => ({
  resolve: { alias },
  esbuild: { jsx: "automatic" },
  test: {
    name,
    include: ["tests/integration/**/*.test.{ts,tsx}"],
    environment: "node",
    setupFiles: ["./tests/support/integration-setup.ts"],
    // integration-pg (and integration with RT_TEST_DB=postgres): a throwaway PostgreSQL cluster
    // instead of SQLite files.
    globalSetup: ["./tests/support/pg-global-setup.ts"],
    testTimeout: 30_000,
    // Each file's set-up migrates and seeds a fresh database: on PostgreSQL, on a busy two-core
    // machine, that took over the default 10 s.
    hookTimeout: 60_000,
  },
});

const e2e = (name: string, include: string[]): TestProjectInlineConfiguration => ({
  resolve: { alias },
  test: {
    name,
    include,
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each e2e file starts its own server and browser; two cores, so keep it modest.
    maxWorkers: 2,
    fileParallelism: true,
    // Runs after the unit and integration projects (a different worker count needs its own group).
    sequence: { groupOrder: 1 },
    ...(name === "e2e-pg" ? { globalSetup: ["./tests/support/pg-global-setup.ts"] } : {}),
  },
});

export default defineConfig({
  root,
  resolve: { alias },
  esbuild: { jsx: "automatic" },
  test: {
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    projects: [
      {
        resolve: { alias },
        esbuild: { jsx: "automatic" },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          environment: "node",
        },
      },
      integration("integration"),
      ...(pgReady && !pgOnly ? [integration("integration-pg")] : []),
      e2e("e2e", ["tests/e2e/**/*.test.ts"]),
      ...(pgReady ? [e2e("e2e-pg", ["tests/e2e-pg/**/*.test.ts"])] : []),
    ],
  },
});
