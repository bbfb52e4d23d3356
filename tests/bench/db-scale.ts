/**
 * `npm run db:scale [file]`: builds a database at the issue-15 scale (see scale-data.ts) at
 * `file` (default ./data/scale.db), replacing it. Serve it with
 * `DATABASE_PATH=./data/scale.db SEED_DEMO=off npm run serve`; the demo accounts' password is
 * "correct horse battery staple".
 */
import fs from "node:fs";
import path from "node:path";

const file = path.resolve(process.argv[2] ?? "./data/scale.db");
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
process.env.DATABASE_PATH = file;
process.env.NODE_ENV ??= "production";

const { buildScaleDatabase } = await import("./scale-data");
const { closeDb } = await import("../../db/index");
const t = performance.now();
const info = await buildScaleDatabase();
await closeDb();
console.log(`${file}: ${Object.entries(info.counts).map(([k, v]) => `${v.toLocaleString("en-GB")} ${k}`).join(", ")} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
