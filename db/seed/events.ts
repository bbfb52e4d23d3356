import { timeColumns, writeOccurrences } from "../../app/models/events/occurrences.server";
import { localToUtc, utcToLocal, type Recurrence } from "../../app/utils/recurrence";
import type { DB } from "../index";
import { nowIso, writeTransaction } from "../index";
import type { EventKind, EventVisibility } from "../types/events";

type EventSeed = {
  uid: string;
  title: string;
  kind: EventKind;
  network: "north-west" | "national";
  organisation: string | null;
  organiser: string;
  /** Month and day of the deck's date; placed at its next occurrence after the seeding date. */
  date?: { month: number; day: number; minYear?: number };
  /** A weekly series starting on the Wednesday (0=Sun…) some weeks before the seeding date. */
  weekly?: { weekday: number; weeksBefore: number };
  monthly?: { weekday: number; nth: number };
  start: string;
  end: string;
  allDay?: boolean;
  recurrence?: Recurrence;
  venue?: string;
  address?: string;
  postcode?: string;
  onlineUrl?: string;
  registrantsOnly?: boolean;
  capacity?: number;
  /** Anyone joins without registering. */
  open?: boolean;
  access?: Array<"bsl" | "captions" | "step-free">;
  accessibilityNotes?: string;
  visibility?: EventVisibility;
  topics: string[];
  description: string;
};

const EVENTS: EventSeed[] = [
  {
    uid: "seed-womens-childrens-round-table@roundtable",
    title: "Women's and children's services: national round table",
    kind: "round-table",
    network: "national",
    organisation: "nhs-england",
    organiser: "admin@example.org",
    date: { month: 10, day: 11 },
    start: "10:00",
    end: "15:00",
    venue: "Quarry House",
    address: "Quarry Hill\nLeeds",
    postcode: "LS2 7UE",
    capacity: 40,
    access: ["step-free", "captions"],
    accessibilityNotes: "Lunch is provided; tell us about any dietary needs when you register.",
    topics: ["children-and-families", "health-inequalities", "commissioning-and-funding"],
    description: `A national round table on social prescribing for **women, children, young people and families**.

Commissioners, link workers, maternity and children's services, and voluntary groups will share what works and agree the questions the national network should take forward.

- What does a good referral look like for a young parent?
- How do we measure outcomes for children and their families?
- Where are the gaps in local provision?`,
  },
  {
    uid: "seed-placebo-whitworth@roundtable",
    title: "Placebo: panel discussion and performances at the Whitworth",
    kind: "panel",
    network: "north-west",
    organisation: "the-whitworth",
    organiser: "organiser@example.org",
    date: { month: 10, day: 25 },
    start: "18:00",
    end: "20:30",
    venue: "The Whitworth",
    address: "Oxford Road\nManchester",
    postcode: "M15 6ER",
    capacity: 120,
    access: ["step-free", "bsl"],
    accessibilityNotes: "Step-free entrance on Oxford Road. The performances include flashing lights.",
    topics: ["arts-and-health", "heritage-and-museums", "evaluation-and-outcomes"],
    description: `Part of **Science Week**: an evening of short performances and a panel discussion on the placebo effect, creativity and wellbeing.

Artists, clinicians and researchers ask what the arts add to health, and how we know. Free, with drinks from 6pm; the panel starts at 6:30pm.`,
  },
  {
    uid: "seed-arts-in-health-carlisle@roundtable",
    title: "Arts in Health: led by Cumberland Infirmary",
    kind: "workshop",
    network: "north-west",
    organisation: "cumberland-infirmary",
    organiser: "organiser@example.org",
    date: { month: 11, day: 7 },
    start: "09:30",
    end: "16:00",
    venue: "University of Cumbria, Fusehill Street campus",
    address: "Fusehill Street\nCarlisle",
    postcode: "CA1 2HH",
    capacity: 60,
    access: ["step-free"],
    topics: ["arts-and-health", "mental-health", "link-workers"],
    description: `A day of talks and hands-on workshops on arts in hospitals and in the community, led by the arts team at **Cumberland Infirmary** and hosted by the **University of Cumbria**.

For link workers, clinicians, artists and anyone planning an arts on prescription programme in a rural area.`,
  },
  {
    uid: "seed-north-west-regional-conference@roundtable",
    title: "North West social prescribing regional conference (save the date)",
    kind: "conference",
    network: "north-west",
    organisation: "voluntary-sector-north-west",
    organiser: "organiser@example.org",
    date: { month: 12, day: 13 },
    start: "",
    end: "",
    allDay: true,
    venue: "Preston (venue to be confirmed)",
    address: "Preston\nLancashire",
    postcode: "PR1 2HE",
    capacity: 200,
    topics: ["link-workers", "commissioning-and-funding", "evaluation-and-outcomes"],
    description: `**Save the date.** The North West network's regional conference comes to Preston.

A day for everyone around the table: local authorities, the voluntary sector, CCGs, GP practices, universities and arts organisations. The programme and venue will follow; register now to hear first.`,
  },
  {
    uid: "seed-natural-health-service@roundtable",
    title: "A Natural Health Service: Year of Environment joint conference",
    kind: "conference",
    network: "north-west",
    organisation: "innovation-agency",
    organiser: "organiser@example.org",
    date: { month: 6, day: 10, minYear: 2027 },
    start: "09:30",
    end: "16:30",
    venue: "Venue to be confirmed",
    address: "North West England",
    capacity: 150,
    topics: ["nature-and-green", "health-inequalities"],
    description: `A joint conference with the **Innovation Agency** for the Year of Environment, on green social prescribing and a "Natural Health Service".

**The date is to be confirmed**: we have placed it in June so you can plan. Subscribe to the calendar feed and it will update when the date is fixed.`,
  },
  {
    uid: "seed-social-prescribing-hour@roundtable",
    title: "Social Prescribing Hour",
    kind: "online-chat",
    network: "national",
    organisation: null,
    organiser: "admin@example.org",
    weekly: { weekday: 3, weeksBefore: 6 },
    start: "20:00",
    end: "21:00",
    recurrence: { freq: "weekly" },
    onlineUrl: "https://twitter.com/hashtag/SPHour",
    open: true,
    access: ["captions"],
    topics: ["link-workers", "loneliness-and-isolation"],
    description: `An open online conversation about social prescribing, **every Wednesday from 8pm to 9pm UK time**.

Link workers, GPs, commissioners, researchers and people who have been referred share questions, news and ideas. Follow #SPHour to join in; no registration needed.`,
  },
  {
    uid: "seed-link-worker-peer-support@roundtable",
    title: "North West link worker peer support",
    kind: "training",
    network: "north-west",
    organisation: "voluntary-sector-north-west",
    organiser: "organiser@example.org",
    monthly: { weekday: 2, nth: 2 },
    start: "12:30",
    end: "13:30",
    recurrence: { freq: "monthly-weekday", count: 12 },
    onlineUrl: "https://meet.example.org/nw-link-workers",
    registrantsOnly: true,
    capacity: 25,
    visibility: "members",
    topics: ["link-workers", "mental-health"],
    description: `A monthly online session for link workers in the North West network: bring a case (anonymised), a question or a success. For network members only.`,
  },
];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Today's date in the UK as "YYYY-MM-DD". */
function ukToday(now: Date): string {
  return utcToLocal(now, "Europe/London").slice(0, 10);
}

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The first date on or after today with this month and day (and not before minYear). */
export function nextDate(now: Date, month: number, day: number, minYear = 0): string {
  const today = ukToday(now);
  let year = Math.max(Number(today.slice(0, 4)), minYear);
  let candidate = `${year}-${pad(month)}-${pad(day)}`;
  if (candidate < today) {
    year++;
    candidate = `${year}-${pad(month)}-${pad(day)}`;
  }
  return candidate;
}

function startDateFor(seed: EventSeed, now: Date): string {
  const today = ukToday(now);
  if (seed.date) return nextDate(now, seed.date.month, seed.date.day, seed.date.minYear);
  if (seed.weekly) {
    const back = addDays(today, -7 * seed.weekly.weeksBefore);
    return addDays(back, (seed.weekly.weekday - dayOfWeek(back) + 7) % 7);
  }
  if (seed.monthly) {
    // The nth weekday of this month, or of next month when it has passed.
    for (let m = 0; m < 3; m++) {
      const first = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 + m, 1)).toISOString().slice(0, 10);
      const d = addDays(first, (seed.monthly.weekday - dayOfWeek(first) + 7) % 7 + 7 * (seed.monthly.nth - 1));
      if (d >= today) return d;
    }
  }
  return today;
}

/** The deck's events at their next dates after the seeding day, and the weekly Social Prescribing Hour. Idempotent by UID. */
export async function seedEvents(db: DB, now = new Date()): Promise<void> {
  const existing = new Set((await db.selectFrom("event").select("uid").execute()).map((e) => e.uid));
  const missing = EVENTS.filter((e) => !existing.has(e.uid));
  if (missing.length === 0) return;
  const networks = new Map((await db.selectFrom("network").select(["id", "slug"]).execute()).map((n) => [n.slug, n.id]));
  const orgs = new Map((await db.selectFrom("organisation").select(["id", "slug"]).execute()).map((o) => [o.slug, o.id]));
  const accounts = new Map((await db.selectFrom("account").select(["id", "email"]).execute()).map((a) => [a.email, a.id]));
  const stamp = nowIso();
  await writeTransaction(async (trx) => {
    for (const seed of missing) {
      const networkId = networks.get(seed.network);
      if (!networkId) continue;
      const date = startDateFor(seed, now);
      const startLocal = seed.allDay ? date : `${date}T${seed.start}`;
      const endLocal = seed.allDay ? date : `${date}T${seed.end}`;
      // Guard against a stale clock making nonsense: the times must convert.
      localToUtc(startLocal, "Europe/London");
      const access = new Set(seed.access ?? []);
      const row = await trx
        .insertInto("event")
        .values({
          uid: seed.uid,
          sequence: 0,
          network_id: networkId,
          organisation_id: seed.organisation ? (orgs.get(seed.organisation) ?? null) : null,
          organiser_account_id: accounts.get(seed.organiser) ?? null,
          kind: seed.kind,
          title: seed.title,
          description: seed.description,
          ...timeColumns({ startLocal, endLocal, allDay: Boolean(seed.allDay), recurrence: seed.recurrence ?? null }),
          venue: seed.venue ?? null,
          address: seed.address ?? null,
          postcode: seed.postcode ?? null,
          online_url: seed.onlineUrl ?? null,
          online_url_registrants_only: seed.registrantsOnly ?? false,
          capacity: seed.capacity ?? null,
          registration_required: !seed.open,
          access_bsl: access.has("bsl"),
          access_captions: access.has("captions"),
          access_step_free: access.has("step-free"),
          accessibility_notes: seed.accessibilityNotes ?? null,
          visibility: seed.visibility ?? "public",
          status: "scheduled",
          cancelled_at: null,
          created_at: stamp,
          updated_at: stamp,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (seed.topics.length) await trx.insertInto("event_topic").values(seed.topics.map((topic) => ({ event_id: row.id, topic }))).execute();
      await writeOccurrences(trx, row.id, now);
    }
  });
}
