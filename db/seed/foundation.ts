import { randomUUID } from "node:crypto";
import type { DB } from "../index";
import { nowIso } from "../index";
import type { Sector } from "../types/foundation";

type OrgSeed = {
  slug: string;
  name: string;
  sector: Sector;
  summary: string;
  description: string;
  area_served: string;
  website?: string;
  email?: string;
  address?: string;
  postcode?: string;
  registry_number?: string;
  networks: Array<"north-west" | "national">;
};

/** Every partner the source deck names, with what the deck says of them. */
export const ORGANISATIONS: OrgSeed[] = [
  {
    slug: "nhs-england",
    name: "NHS England",
    sector: "national-body",
    summary: "Leads the NHS in England and its plan to make social prescribing more systematic and equitable.",
    description:
      "NHS England's Social Prescribing Plan on a Page: increase local connector schemes, build the evidence base (a Common Outcomes Framework and an in-depth evaluation), and help leaders develop and plan through regional social prescribing networks. Repository contributions: england.socialprescribing@nhs.net.",
    area_served: "England",
    website: "https://www.england.nhs.uk",
    email: "england.socialprescribing@nhs.net",
    networks: ["north-west", "national"],
  },
  {
    slug: "health-education-england",
    name: "Health Education England",
    sector: "national-body",
    summary: "Workforce education and training; publisher of the Widening participation directory and Social prescribing at a glance.",
    description:
      "Health Education England published the Widening participation directory (2015), More than heritage: volunteering for wellbeing (with IWM, 2016) and Social prescribing at a glance (2016).",
    area_served: "England",
    website: "https://www.hee.nhs.uk",
    networks: ["north-west", "national"],
  },
  {
    slug: "voluntary-sector-north-west",
    name: "Voluntary Sector North West",
    sector: "vcse",
    summary: "Regional voice of the voluntary, community and social enterprise sector; hosts the North West social prescribing network.",
    description:
      "Voluntary Sector North West (VSNW) hosts the North West NHS England social prescribing network, bringing local authorities, the VCSE sector, commissioners and primary and secondary care around the table.",
    area_served: "North West England",
    website: "https://www.vsnw.org.uk",
    address: "Manchester",
    networks: ["north-west"],
  },
  {
    slug: "iwm-north",
    name: "IWM North",
    sector: "arts-culture-heritage",
    summary: "Imperial War Museum in Trafford; co-leads the Volunteering for wellbeing partnership of ten museums.",
    description:
      "With Manchester Museum, IWM North leads Volunteering for wellbeing, a partnership of ten museums and galleries that measured the impact of socially responsible volunteering on wellbeing and isolation.",
    area_served: "Greater Manchester",
    website: "https://www.iwm.org.uk/visits/iwm-north",
    address: "Trafford Wharf Road, Manchester",
    postcode: "M17 1TZ",
    networks: ["north-west"],
  },
  {
    slug: "manchester-museum",
    name: "Manchester Museum",
    sector: "arts-culture-heritage",
    summary: "University of Manchester museum; co-leads Volunteering for wellbeing.",
    description:
      "Manchester Museum co-leads the Volunteering for wellbeing partnership (2013–2016): an SROI evaluation of 213 participants found £3.50 returned for every £1 invested.",
    area_served: "Greater Manchester",
    website: "https://www.museum.manchester.ac.uk",
    address: "Oxford Road, Manchester",
    postcode: "M13 9PL",
    networks: ["north-west"],
  },
  {
    slug: "university-of-westminster",
    name: "University of Westminster",
    sector: "university",
    summary: "Patient Outcomes in Health Research Group; author of the evidence review on social prescribing and NHS demand.",
    description:
      "The University of Westminster's review of the impact of social prescribing on demand for NHS healthcare found on average 28% fewer GP consultations and 24% fewer A&E attendances where connector services work well. It also hosts the national Social Prescribing Network.",
    area_served: "England",
    website: "https://www.westminster.ac.uk",
    networks: ["national"],
  },
  {
    slug: "nhs-halton-ccg",
    name: "NHS Halton CCG",
    sector: "icb",
    summary: "Clinical commissioning group (now part of an integrated care board); author of A cultural manifesto for wellbeing.",
    description: "NHS Halton CCG published A cultural manifesto for wellbeing, setting out how arts and culture support health in Halton.",
    area_served: "Halton",
    networks: ["north-west"],
  },
  {
    slug: "public-health-england",
    name: "Public Health England",
    sector: "national-body",
    summary: "Former national public health agency; co-author of the arts and health briefing (2017).",
    description: "Public Health England worked with directors of public health on the 2017 briefing on arts, health and wellbeing.",
    area_served: "England",
    networks: ["national"],
  },
  {
    slug: "breathe-magic",
    name: "Breathe Magic",
    sector: "vcse",
    summary: "Magic-based therapy co-created by Magic Circle magicians, occupational therapists and researchers.",
    description:
      "The Breathe Magic programme uses magic to improve physical and mental health. Participants showed clinically significant improvements in two-handed motor skills and independence, maintained at six months, and families reported up to four hours a day less care and support needed.",
    area_served: "England",
    website: "https://breatheahr.org",
    networks: ["north-west", "national"],
  },
  {
    slug: "dancing-recall",
    name: "Dancing Recall",
    sector: "vcse",
    summary: "NHS award-winning 'Making Connections' dance programme for people living with dementia.",
    description:
      "Making Connections uses music and dance to stimulate memories, develop concentration, exercise mind, memory, voice and body, and support and energise carers.",
    area_served: "North West England",
    networks: ["north-west"],
  },
  {
    slug: "innovation-agency",
    name: "Innovation Agency",
    sector: "national-body",
    summary: "Academic Health Science Network for the North West Coast; partner in the Year of Environment conference.",
    description: "The Innovation Agency partners on a joint conference exploring the role of a Natural Health Service.",
    area_served: "North West Coast",
    website: "https://www.innovationagencynwc.nhs.uk",
    networks: ["north-west"],
  },
  {
    slug: "university-of-cumbria",
    name: "University of Cumbria",
    sector: "university",
    summary: "Hosts the Arts in Health event led by Cumberland Infirmary.",
    description: "The University of Cumbria hosts regional arts and health events and research.",
    area_served: "Cumbria",
    website: "https://www.cumbria.ac.uk",
    address: "Carlisle",
    networks: ["north-west"],
  },
  {
    slug: "cumberland-infirmary",
    name: "Cumberland Infirmary",
    sector: "nhs-trust",
    summary: "Hospital in Carlisle leading the Arts in Health event.",
    description: "Cumberland Infirmary leads arts in health work for patients, staff and visitors in north Cumbria.",
    area_served: "North Cumbria",
    address: "Newtown Road, Carlisle",
    postcode: "CA2 7HY",
    networks: ["north-west"],
  },
  {
    slug: "the-whitworth",
    name: "The Whitworth",
    sector: "arts-culture-heritage",
    summary: "Gallery in Manchester; hosts Placebo, a panel discussion and performances for Science Week.",
    description: "The Whitworth, part of the University of Manchester, hosts arts and health events including Placebo for Science Week.",
    area_served: "Greater Manchester",
    website: "https://www.whitworth.manchester.ac.uk",
    address: "Oxford Road, Manchester",
    postcode: "M15 6ER",
    networks: ["north-west"],
  },
  {
    slug: "the-kings-fund",
    name: "The King's Fund",
    sector: "national-body",
    summary: "Independent health think tank: 'one department acting alone cannot tackle an issue that does not respect organisational boundaries'.",
    description: "The King's Fund's work on partnerships (Boyce and Hunter, 2009) underpins the case for working across sectors.",
    area_served: "England",
    website: "https://www.kingsfund.org.uk",
    networks: ["national"],
  },
  {
    slug: "defra",
    name: "Department for Environment, Food and Rural Affairs",
    sector: "national-body",
    summary: "Works with NHS England to help mental health providers connect people to the environment.",
    description: "Defra supports green social prescribing: connecting people to nature for their mental health.",
    area_served: "England",
    website: "https://www.gov.uk/defra",
    networks: ["national"],
  },
];

export const NETWORKS = [
  {
    slug: "north-west",
    name: "North West Social Prescribing Network",
    short_name: "North West",
    region: "North West England",
    summary: "The NHS England North West social prescribing network, hosted by Voluntary Sector North West.",
    about:
      "Local authorities, the VCSE sector, integrated care boards, primary and secondary care, universities, museums and arts charities across Cumbria, Lancashire, Merseyside, Cheshire and Greater Manchester, working together on social prescribing.",
    purpose:
      "Share what works, grow local connector schemes, measure the same things through the Common Outcomes Framework, and meet: round tables, the regional conference in Preston and the weekly Social Prescribing Hour.",
    host: "voluntary-sector-north-west",
    contact_email: "socialprescribing@vsnw.org.uk",
  },
  {
    slug: "national",
    name: "Social Prescribing Network",
    short_name: "National",
    region: "England",
    summary: "The national Social Prescribing Network for practitioners, commissioners and researchers.",
    about: "A national network of link workers, GPs, commissioners, VCSE partners and researchers sharing evidence and practice.",
    purpose: "Build the evidence base, share resources and connect the regional networks.",
    host: "university-of-westminster",
    contact_email: "socialprescribing@outlook.com",
  },
] as const;

/** Idempotent: inserts what is missing, never overwrites what users changed. */
export async function seedFoundation(db: DB): Promise<void> {
  const now = nowIso();
  for (const org of ORGANISATIONS) {
    await db
      .insertInto("organisation")
      .values({
        uuid: randomUUID(),
        slug: org.slug,
        name: org.name,
        sector: org.sector,
        summary: org.summary,
        description: org.description,
        area_served: org.area_served,
        website: org.website ?? null,
        email: org.email ?? null,
        address: org.address ?? null,
        postcode: org.postcode ?? null,
        registry_number: org.registry_number ?? null,
        status: "approved",
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("slug").doNothing())
      .execute();
  }
  const orgIds = new Map((await db.selectFrom("organisation").select(["id", "slug"]).execute()).map((o) => [o.slug, o.id]));
  for (const n of NETWORKS) {
    await db
      .insertInto("network")
      .values({
        slug: n.slug,
        name: n.name,
        short_name: n.short_name,
        region: n.region,
        summary: n.summary,
        about: n.about,
        purpose: n.purpose,
        host_organisation_id: orgIds.get(n.host) ?? null,
        contact_email: n.contact_email,
        auto_approve_domains: n.slug === "north-west" ? JSON.stringify(["vsnw.org.uk"]) : "[]",
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("slug").doNothing())
      .execute();
  }
  const networkIds = new Map((await db.selectFrom("network").select(["id", "slug"]).execute()).map((n) => [n.slug, n.id]));
  for (const org of ORGANISATIONS) {
    for (const slug of org.networks) {
      await db
        .insertInto("organisation_network")
        .values({ organisation_id: orgIds.get(org.slug)!, network_id: networkIds.get(slug)! })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}
