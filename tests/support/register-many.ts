/**
 * One "server process" for the concurrency test: registers the given accounts for one event,
 * all at once (up to the pool size in flight), through the same model code the event page uses.
 * Usage: tsx tests/support/register-many.ts <eventId> <accountId>… (database from the environment)
 */
import { closeDb } from "../../db/index";
import { setRegistration } from "../../app/models/events/registrations.server";

const [eventId, ...accountIds] = process.argv.slice(2);
const results = await Promise.all(
  accountIds.map((id) =>
    setRegistration({
      user: { id, email: `${id}@example.org`, name: id, emailVerified: true, isPlatformAdmin: false, hasTotp: false },
      eventId: Number(eventId),
      occurrence: "",
      going: true,
    }),
  ),
);
await closeDb();
const failed = results.filter((r) => !r.ok);
process.stdout.write(`${results.length - failed.length} registered, ${failed.length} refused\n`);
process.exit(failed.length ? 1 : 0);
