/**
 * In-process timers for background work (notifications, calendar imports, housekeeping).
 * Every job is also runnable from cron through its own `npm run …` script; both paths call
 * the same idempotent function, so running a job twice at once (two processes, or cron plus
 * the server) must be safe: jobs claim their work in the database, never in memory.
 */
export type Job = {
  /** Short name used in logs. */
  name: string;
  /** How often to run, in milliseconds. */
  everyMs: number;
  /** Delay before the first run after start-up (default: a few seconds, so start-up stays fast). */
  firstRunMs?: number;
  run: (now: Date) => Promise<unknown>;
};

const jobs = new Map<string, Job>();
const timers: NodeJS.Timeout[] = [];
let started = false;

/** Registers a job; call at module load of the server. Registering a name twice replaces it. */
export function registerJob(job: Job): void {
  jobs.set(job.name, job);
}

export function registeredJobs(): Job[] {
  return [...jobs.values()];
}

/** Starts every registered job on its timer. A run never overlaps the previous run of the same job. */
export function startScheduler(log: (message: string) => void = console.error): void {
  if (started) return;
  started = true;
  for (const job of jobs.values()) {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        await job.run(new Date());
      } catch (error) {
        log(`Background job ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        running = false;
      }
    };
    const first = setTimeout(() => {
      void tick();
      const every = setInterval(() => void tick(), job.everyMs);
      every.unref();
      timers.push(every);
    }, job.firstRunMs ?? 5_000);
    first.unref();
    timers.push(first);
  }
}

export function stopScheduler(): void {
  for (const timer of timers.splice(0)) clearTimeout(timer);
  started = false;
}
