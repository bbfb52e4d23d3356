import { ConfigError, env } from "../app/utils/env.server";
import { closeDb, getDb } from "./index";
import { migrateToLatest, rollbackOne } from "./migrate";
import { seedDemo } from "./seed/index";

async function main(command: string | undefined): Promise<void> {
  const config = env();
  const db = getDb();
  switch (command) {
    case "migrate": {
      const applied = await migrateToLatest(db);
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
      break;
    }
    case "rollback": {
      const undone = await rollbackOne(db);
      console.log(undone.length ? `Rolled back: ${undone.join(", ")}` : "Nothing to roll back.");
      break;
    }
    case "seed": {
      await migrateToLatest(db);
      await seedDemo(db, { demoPassword: config.DEMO_PASSWORD });
      console.log("Demo data is in place.");
      break;
    }
    default:
      console.error("Usage: tsx db/cli.ts migrate|rollback|seed");
      process.exitCode = 2;
  }
}

main(process.argv[2])
  .catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
