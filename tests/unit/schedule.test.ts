import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { registeredJobs } from "~/jobs/scheduler.server";
import "~/jobs/schedule.server";

describe("background jobs", () => {
  it("runs in the server every job that has a cron script, except the digest (cron only, by design)", () => {
    const names = registeredJobs().map((job) => job.name).sort();
    expect(names).toEqual(
      ["calendar imports", "event occurrences", "event reminders", "housekeeping", "notice emails", "postcode lookups"].sort(),
    );
    // Every model function a cron script calls is also called by a registered job.
    const schedule = fs.readFileSync(new URL("../../app/jobs/schedule.server.ts", import.meta.url), "utf8");
    for (const imported of schedule.matchAll(/^import \{ (\w+) \} from "\.\.\/models\//gm)) {
      expect(schedule, `${imported[1]} is imported but never scheduled`).toMatch(new RegExp(`run: \\([^)]*\\) => ${imported[1]}\\(`));
    }
  });
});
