import type { DB } from "../index";
import { seedDemoAccounts } from "./accounts";
import { seedEvents } from "./events";
import { seedDiscussions } from "./discussions";
import { seedFoundation } from "./foundation";
import { seedOrganisations } from "./organisations";
import { seedResources } from "./resources";

export type SeedOptions = { demoPassword?: string; log?: (line: string) => void };

/**
 * The demo data from the source deck. Idempotent: every step inserts only what
 * is missing. Domains add their step below, in dependency order.
 */
export async function seedDemo(db: DB, { demoPassword, log = console.log }: SeedOptions = {}): Promise<void> {
  await seedFoundation(db);
  const generated = await seedDemoAccounts(db, demoPassword);
  if (generated) {
    log(`Demo accounts created (admin@, organiser@, moderator@, member@, national@example.org). Their password, shown only now: ${generated}`);
  }
  await seedResources(db);
  await seedOrganisations(db);
  await seedEvents(db);
  await seedDiscussions(db);
}

/** True when the database has no networks yet: a fresh install. */
export async function isEmpty(db: DB): Promise<boolean> {
  const row = await db.selectFrom("network").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  return Number(row?.n ?? 0) === 0;
}
