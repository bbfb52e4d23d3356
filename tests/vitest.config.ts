import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const alias = {
  "~db": fileURLToPath(new URL("../db", import.meta.url)),
  "~emails": fileURLToPath(new URL("../emails", import.meta.url)),
  "~": fileURLToPath(new URL("../app", import.meta.url)),
};

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
      {
        resolve: { alias },
        esbuild: { jsx: "automatic" },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["./tests/support/integration-setup.ts"],
          // RT_TEST_DB=postgres (npm run test:pg): a throwaway PostgreSQL cluster instead of SQLite files.
          globalSetup: ["./tests/support/pg-global-setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each e2e file starts its own server and browser; two cores, so keep it modest.
          maxWorkers: 2,
          fileParallelism: true,
          // Runs after the unit and integration projects (a different worker count needs its own group).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
