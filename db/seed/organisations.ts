import { randomUUID } from "node:crypto";
import type { DB } from "../index";
import { nowIso } from "../index";
import type { ServiceStatus } from "../types/organisations";

type ServiceSeed = {
  org: string;
  name: string;
  description: string;
  eligibility?: string;
  how_to_refer?: string;
  schedule_text?: string;
  location_name?: string;
  address?: string;
  city?: string;
  postcode?: string;
  online?: boolean;
  cost?: string;
  is_free?: boolean;
  url?: string;
  email?: string;
  topics: string[];
  status?: ServiceStatus;
};

type CaseStudySeed = {
  org: string;
  title: string;
  summary: string;
  figure_text: string;
  value?: number;
  unit?: string;
  period?: string;
  participants?: number;
  partners?: string;
  source_title?: string;
  source_url?: string;
  domains: Array<"person" | "system" | "community">;
};

const DEMO_NOTE = "Demo data: an invented scheme to show how connector schemes are mapped; not a real service.";

/** Plausible local connector schemes in North West areas, clearly marked as invented. */
export const DEMO_CONNECTOR_SCHEMES = [
  { slug: "demo-carlisle-community-connectors", name: "Carlisle Community Connectors (demo)", area: "Cumbria", address: "Carlisle", summary: "Link workers based in Carlisle GP practices connecting people to local groups." },
  { slug: "demo-preston-social-prescribing", name: "Preston Social Prescribing Service (demo)", area: "Lancashire", address: "Preston", summary: "Social prescribing link workers across Preston's primary care networks." },
  { slug: "demo-halton-wellbeing-connect", name: "Halton Wellbeing Connect (demo)", area: "Halton", address: "Runcorn", summary: "Wellbeing advisers connecting Halton residents to arts, culture and community support." },
  { slug: "demo-manchester-community-links", name: "Manchester Community Links (demo)", area: "Greater Manchester", address: "Manchester", summary: "Neighbourhood link workers for Manchester's primary care networks." },
  { slug: "demo-wirral-connect", name: "Wirral Connect (demo)", area: "Merseyside", address: "Birkenhead", summary: "Community connectors supporting people on the Wirral with loneliness, money and housing." },
  { slug: "demo-cheshire-east-social-prescribing", name: "Cheshire East Social Prescribing (demo)", area: "Cheshire", address: "Crewe", summary: "Social prescribing across Cheshire East's rural and market-town practices." },
] as const;

export const SERVICES: ServiceSeed[] = [
  {
    org: "iwm-north",
    name: "Volunteering for wellbeing",
    description:
      "Socially responsible volunteering in ten museums and galleries, led by IWM North and Manchester Museum: welcoming visitors, handling collections and supporting events, with training and peer support.",
    eligibility: "Adults who are isolated, out of work, living with low-level mental health needs or recovering from illness.",
    how_to_refer: "Link workers and GPs can refer by email; people can also refer themselves.",
    schedule_text: "Weekly volunteering sessions; programmes run for 12 weeks",
    location_name: "IWM North",
    address: "Trafford Wharf Road",
    city: "Manchester",
    postcode: "M17 1TZ",
    is_free: true,
    cost: "Free; travel expenses paid",
    url: "https://www.iwm.org.uk/visits/iwm-north",
    topics: ["volunteering", "heritage-and-museums", "loneliness-and-isolation", "mental-health"],
  },
  {
    org: "manchester-museum",
    name: "Museum volunteering for wellbeing",
    description: "Volunteering placements at Manchester Museum as part of the Volunteering for wellbeing partnership.",
    eligibility: "Adults who would benefit from purposeful activity and new social connections.",
    how_to_refer: "Referral by a link worker, GP or community organisation, or self-referral.",
    schedule_text: "Weekday sessions, 10am to 1pm",
    location_name: "Manchester Museum",
    address: "Oxford Road",
    city: "Manchester",
    postcode: "M13 9PL",
    is_free: true,
    cost: "Free",
    url: "https://www.museum.manchester.ac.uk",
    topics: ["volunteering", "heritage-and-museums", "loneliness-and-isolation"],
  },
  {
    org: "breathe-magic",
    name: "Breathe Magic intensive therapy programme",
    description:
      "A magic-based therapy programme co-created by Magic Circle magicians, occupational therapists and researchers. Learning magic tricks builds two-handed motor skills, confidence and independence.",
    eligibility: "Children and young people with hemiplegia (weakness on one side of the body) and their families.",
    how_to_refer: "Referral by an occupational therapist, physiotherapist or paediatrician.",
    schedule_text: "Intensive two-week camps with follow-up sessions",
    cost: "Funded through NHS and charitable partners",
    url: "https://breatheahr.org",
    topics: ["arts-and-health", "children-and-families"],
  },
  {
    org: "dancing-recall",
    name: "Making Connections",
    description:
      "An NHS award-winning dance programme: music and dance stimulate memories, develop concentration and exercise mind, memory, voice and body, while supporting and energising carers.",
    eligibility: "People living with dementia and their carers.",
    how_to_refer: "Care homes, link workers and memory services can refer; carers can get in touch directly.",
    schedule_text: "Weekly sessions in care homes and community venues",
    cost: "Sessions commissioned by care homes and health partners",
    topics: ["dance-and-movement", "dementia", "arts-and-health"],
  },
  {
    org: "the-whitworth",
    name: "Arts for health at the Whitworth",
    description: "Gallery-based creative sessions and events, including Placebo for Science Week, exploring art, health and wellbeing.",
    eligibility: "Anyone referred through social prescribing, and their carers.",
    how_to_refer: "Link workers can book places for groups.",
    location_name: "The Whitworth",
    address: "Oxford Road",
    city: "Manchester",
    postcode: "M15 6ER",
    is_free: true,
    cost: "Free",
    url: "https://www.whitworth.manchester.ac.uk",
    topics: ["arts-and-health", "mental-health"],
  },
  // Local services of the invented demo connector schemes, with real postcodes so "near a postcode" has something to find.
  {
    org: "demo-carlisle-community-connectors",
    name: "Eden Valley Walk and Talk (demo)",
    description:
      "A gentle weekly walk around Penrith and the Eden Valley, with a cup of tea afterwards. Walkers go at the pace of the slowest, and the talk matters as much as the walking: a friendly way back out for people who feel lonely or isolated.",
    eligibility: "Adults of any fitness who can walk for about an hour; carers welcome.",
    how_to_refer: "Link workers and GPs can refer; people can come along or phone first.",
    schedule_text: "Thursdays, 10am to 11.30am, from the Penrith town centre",
    location_name: "Devonshire Street",
    address: "4 Devonshire Street",
    city: "Penrith",
    postcode: "CA11 7SR",
    is_free: true,
    cost: "Free",
    topics: ["nature-and-green", "loneliness-and-isolation"],
  },
  {
    org: "demo-carlisle-community-connectors",
    name: "Carlisle link worker drop-in (demo)",
    description: "Drop in to talk to a link worker about what matters to you: money worries, loneliness, getting active, or finding a group nearby.",
    eligibility: "Anyone registered with a Carlisle GP practice.",
    how_to_refer: "No referral needed; GPs and practice staff can also book a time.",
    schedule_text: "Tuesdays and Fridays, 9.30am to 12.30pm",
    location_name: "Botchergate",
    address: "36 Botchergate",
    city: "Carlisle",
    postcode: "CA1 1QS",
    is_free: true,
    cost: "Free",
    topics: ["link-workers", "money-work-housing"],
  },
  {
    org: "demo-preston-social-prescribing",
    name: "Preston link worker drop-in (demo)",
    description: "Drop in to talk to a link worker about what matters to you: money worries, loneliness, getting active, or finding a group nearby.",
    eligibility: "Anyone registered with a Preston GP practice, and students.",
    how_to_refer: "No referral needed; GPs and practice staff can also book a time.",
    schedule_text: "Mondays and Wednesdays, 10am to 1pm",
    location_name: "University of Central Lancashire",
    address: "Fylde Road",
    city: "Preston",
    postcode: "PR1 2HE",
    is_free: true,
    cost: "Free",
    topics: ["link-workers", "money-work-housing"],
  },
  {
    org: "voluntary-sector-north-west",
    name: "Social Prescribing Hour",
    description: "A weekly online conversation about social prescribing, open to everyone in the network.",
    eligibility: "Link workers, commissioners, VCSE staff and anyone interested in social prescribing.",
    how_to_refer: "No referral needed: join online.",
    schedule_text: "Every Wednesday, 8pm to 9pm",
    online: true,
    is_free: true,
    cost: "Free",
    url: "https://www.vsnw.org.uk",
    topics: ["link-workers"],
  },
];

export const CASE_STUDIES: CaseStudySeed[] = [
  {
    org: "iwm-north",
    title: "Volunteering for wellbeing: social return on investment",
    summary:
      "Ten museums and galleries, led by IWM North and Manchester Museum, measured the impact of socially responsible volunteering on wellbeing and isolation between 2013 and 2016.",
    figure_text: "£3.50 social return for every £1 invested",
    value: 3.5,
    unit: "£ per £1",
    period: "2013–2016",
    participants: 213,
    partners: "IWM North, Manchester Museum and eight other museums and galleries",
    source_title: "More than heritage: volunteering for wellbeing (HEE and IWM, 2016)",
    domains: ["person", "community"],
  },
  {
    org: "manchester-museum",
    title: "Volunteering for wellbeing: changed lives",
    summary: "Participants described how volunteering in museums changed how they saw themselves and what they could do.",
    figure_text: "At least 75% of participants: transformed lives or changed perception of their abilities",
    value: 75,
    unit: "%",
    period: "2013–2016",
    participants: 213,
    partners: "IWM North and Manchester Museum",
    source_title: "More than heritage: volunteering for wellbeing (HEE and IWM, 2016)",
    domains: ["person"],
  },
  {
    org: "breathe-magic",
    title: "Breathe Magic: motor skills and independence",
    summary:
      "Participants showed clinically significant improvements in two-handed motor skills and independence, maintained at six months. Families reported needing up to four hours a day less care and support.",
    figure_text: "Up to 4 hours a day less care and support needed",
    value: 4,
    unit: "hours a day",
    period: "Six-month follow-up",
    source_title: "Breathe Arts Health Research: Breathe Magic evaluation",
    source_url: "https://breatheahr.org",
    domains: ["person", "system"],
  },
  {
    org: "dancing-recall",
    title: "Making Connections: dance for people living with dementia",
    summary: "Music and dance sessions stimulated memories and concentration and gave carers energy and support; the programme won an NHS award.",
    figure_text: "NHS award-winning programme supporting people with dementia and their carers",
    domains: ["person", "community"],
  },
  {
    org: "university-of-westminster",
    title: "Social prescribing and demand for NHS care",
    summary: "A review of the evidence on the impact of social prescribing on demand for NHS healthcare where connector services work well.",
    figure_text: "28% fewer GP consultations on average",
    value: 28,
    unit: "% fewer GP consultations",
    source_title: "Making sense of social prescribing (University of Westminster, 2017)",
    source_url: "https://www.westminster.ac.uk",
    domains: ["system"],
  },
  {
    org: "university-of-westminster",
    title: "Social prescribing and A&E attendances",
    summary: "The same review found fewer visits to accident and emergency departments.",
    figure_text: "24% fewer A&E attendances on average",
    value: 24,
    unit: "% fewer A&E attendances",
    source_title: "Making sense of social prescribing (University of Westminster, 2017)",
    source_url: "https://www.westminster.ac.uk",
    domains: ["system"],
  },
];

/** Idempotent: adds the demo services, case studies, connector schemes and affiliations that are missing. */
export async function seedOrganisations(db: DB): Promise<void> {
  const now = nowIso();
  const north = await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirst();
  for (const s of DEMO_CONNECTOR_SCHEMES) {
    await db
      .insertInto("organisation")
      .values({
        uuid: randomUUID(),
        slug: s.slug,
        name: s.name,
        sector: "connector-scheme",
        summary: s.summary,
        description: `${s.summary}\n\n${DEMO_NOTE}`,
        area_served: s.area,
        address: s.address,
        status: "approved",
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("slug").doNothing())
      .execute();
    if (north) {
      const org = await db.selectFrom("organisation").select("id").where("slug", "=", s.slug).executeTakeFirstOrThrow();
      await db.insertInto("organisation_network").values({ organisation_id: org.id, network_id: north.id }).onConflict((oc) => oc.doNothing()).execute();
    }
  }

  const orgIds = new Map((await db.selectFrom("organisation").select(["id", "slug"]).execute()).map((o) => [o.slug, o.id]));
  for (const s of SERVICES) {
    const organisationId = orgIds.get(s.org);
    if (!organisationId) continue;
    const exists = await db.selectFrom("service").select("id").where("organisation_id", "=", organisationId).where("name", "=", s.name).executeTakeFirst();
    if (exists) continue;
    const { id } = await db
      .insertInto("service")
      .values({
        uuid: randomUUID(),
        organisation_id: organisationId,
        name: s.name,
        description: s.description,
        eligibility: s.eligibility ?? "",
        how_to_refer: s.how_to_refer ?? "",
        schedule_text: s.schedule_text ?? "",
        location_name: s.location_name ?? null,
        address: s.address ?? null,
        city: s.city ?? null,
        postcode: s.postcode ?? null,
        online: s.online ?? false,
        cost: s.cost ?? "",
        is_free: s.is_free ?? false,
        url: s.url ?? null,
        email: s.email ?? null,
        phone: null,
        status: s.status ?? "active",
        created_by_account_id: null,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const topic of s.topics) await db.insertInto("service_topic").values({ service_id: id, topic }).onConflict((oc) => oc.doNothing()).execute();
  }

  for (const c of CASE_STUDIES) {
    const organisationId = orgIds.get(c.org);
    if (!organisationId) continue;
    const exists = await db.selectFrom("case_study").select("id").where("organisation_id", "=", organisationId).where("title", "=", c.title).executeTakeFirst();
    if (exists) continue;
    const { id } = await db
      .insertInto("case_study")
      .values({
        organisation_id: organisationId,
        title: c.title,
        summary: c.summary,
        figure_text: c.figure_text,
        value: c.value ?? null,
        unit: c.unit ?? null,
        period: c.period ?? null,
        participants: c.participants ?? null,
        partners: c.partners ?? null,
        source_title: c.source_title ?? null,
        source_url: c.source_url ?? null,
        created_by_account_id: null,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const domain of c.domains) await db.insertInto("case_study_domain").values({ case_study_id: id, domain }).onConflict((oc) => oc.doNothing()).execute();
  }

  // Each demo account works at its primary organisation; the North West admin also administers the host's profile.
  const accounts = await db.selectFrom("account").select(["id", "email", "organisation_id"]).where("email", "like", "%@example.org").where("organisation_id", "is not", null).execute();
  for (const a of accounts) {
    await db
      .insertInto("organisation_member")
      .values({
        organisation_id: a.organisation_id!,
        account_id: a.id,
        role: a.email === "admin@example.org" ? "admin" : "member",
        status: "approved",
        message: null,
        created_at: now,
        decided_at: now,
        decided_by_account_id: null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
