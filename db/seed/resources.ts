import { storeBytes } from "../../app/models/resource-files.server";
import type { DB } from "../index";
import { nowIso, writeTransaction } from "../index";
import type { ResourceKind } from "../types/resources";
import { buildSimplePdf } from "./pdf";

type ResourceSeed = {
  title: string;
  kind: ResourceKind;
  publisherSlug?: string;
  /** Shown as the publisher when a resource has more than one (or none on Roundtable). */
  publisherName?: string;
  year: number | null;
  url?: string;
  /** Text of a small PDF made at seed time (for the one case study the deck gives no link for). */
  pdf?: { filename: string; lines: string[] };
  summary: string;
  topics: string[];
  outcomes: Array<"person" | "system" | "community">;
  network: "north-west" | "national";
  licence?: string;
  publishedAt: string;
};

/** Every resource the source deck names, with its publisher, year and the deck's link. */
export const RESOURCES: ResourceSeed[] = [
  {
    title: "Widening participation directory",
    kind: "directory",
    publisherSlug: "health-education-england",
    year: 2015,
    url: "https://hee.nhs.uk/sites/default/files/documents/HEE%20Widening%20Participation%20Directory.pdf",
    summary:
      "Health Education England's directory of widening participation programmes: routes that help people from every background into health and care work and volunteering, useful to link workers connecting people with learning and employment.",
    topics: ["money-work-housing", "health-inequalities", "link-workers"],
    outcomes: ["person", "community"],
    network: "north-west",
    publishedAt: "2015-09-01T09:00:00.000Z",
  },
  {
    title: "More than heritage: volunteering for wellbeing",
    kind: "report",
    publisherSlug: "iwm-north",
    publisherName: "Health Education England and IWM",
    year: 2016,
    url: "http://volunteeringforwellbeing.org.uk/wp-content/uploads/2014/04/Museum-Social-Prescribing-directory.pdf",
    summary:
      "Volunteering for wellbeing, a partnership of ten museums and galleries led by IWM North and Manchester Museum, measured the impact of socially responsible volunteering on wellbeing and isolation. The 2013–2016 SROI evaluation of 213 participants found £3.50 returned for every £1 invested; for at least 75% of participants it helped transform their lives or their view of their own abilities and skills.",
    topics: ["heritage-and-museums", "volunteering", "loneliness-and-isolation", "evaluation-and-outcomes"],
    outcomes: ["person", "community"],
    network: "north-west",
    publishedAt: "2016-03-01T09:00:00.000Z",
  },
  {
    title: "Social prescribing at a glance",
    kind: "guide",
    publisherSlug: "health-education-england",
    year: 2016,
    url: "https://www.hee.nhs.uk/sites/default/files/documents/Social%20Prescribing%20at%20a%20glance.pdf",
    summary:
      "Health Education England's short guide to social prescribing in the North West: what it is, the local schemes and link workers, and where to find training and evidence.",
    topics: ["link-workers", "commissioning-and-funding"],
    outcomes: ["system"],
    network: "north-west",
    publishedAt: "2016-11-01T09:00:00.000Z",
  },
  {
    title: "Making sense of social prescribing",
    kind: "guide",
    publisherSlug: "university-of-westminster",
    year: 2017,
    url: "https://www.westminster.ac.uk/social-prescribing-network",
    summary:
      "The University of Westminster's practical guide for commissioners, providers and practitioners: what social prescribing is, the models in use, how to set up a connector scheme with link workers, and how to evaluate it.",
    topics: ["link-workers", "commissioning-and-funding", "evaluation-and-outcomes"],
    outcomes: ["person", "system", "community"],
    network: "north-west",
    publishedAt: "2017-07-01T09:00:00.000Z",
  },
  {
    title: "A review of the evidence: impact of social prescribing on demand for NHS healthcare",
    kind: "evidence-review",
    publisherSlug: "university-of-westminster",
    year: 2017,
    url: "https://www.westminster.ac.uk/patient-outcomes-in-health-research-group/projects/social-prescribing-network",
    summary:
      "The University of Westminster's impact evidence review for the Social Prescribing Network found an average of 28% fewer GP consultations and 24% fewer A&E attendances where social prescribing connector services are working well.",
    topics: ["evaluation-and-outcomes", "commissioning-and-funding"],
    outcomes: ["system"],
    network: "national",
    publishedAt: "2017-06-01T09:00:00.000Z",
  },
  {
    title: "A cultural manifesto for wellbeing",
    kind: "briefing",
    publisherSlug: "nhs-halton-ccg",
    year: null,
    url: "http://www.haltonccg.nhs.uk/public-information/Documents/A%20Cultural%20Manifesto%20for%20Wellbeing.pdf",
    summary: "NHS Halton CCG's manifesto setting out how arts, culture and heritage support the health and wellbeing of people in Halton, and the commitments partners make together.",
    topics: ["arts-and-health", "heritage-and-museums", "commissioning-and-funding"],
    outcomes: ["person", "community"],
    network: "north-west",
    publishedAt: "2017-03-01T09:00:00.000Z",
  },
  {
    title: "Creative Health: the short report",
    kind: "report",
    publisherName: "All-Party Parliamentary Group on Arts, Health and Wellbeing",
    year: 2017,
    url: "http://www.artshealthandwellbeing.org.uk/appg-inquiry/Publications/Creative_Health_The_Short_Report.pdf",
    summary:
      "The short report of the APPG inquiry into arts, health and wellbeing: the evidence that the arts help people stay well, recover faster and manage long-term conditions, with recommendations for commissioners and for social prescribing.",
    topics: ["arts-and-health", "commissioning-and-funding", "health-inequalities"],
    outcomes: ["person", "system", "community"],
    network: "national",
    publishedAt: "2017-07-19T09:00:00.000Z",
  },
  {
    title: "Arts and health: a briefing for directors of public health",
    kind: "briefing",
    publisherSlug: "public-health-england",
    publisherName: "Public Health England and the Association of Directors of Public Health",
    year: 2017,
    url: "http://www.artshealthandwellbeing.org.uk/appg-inquiry/Briefings/ADPH.pdf",
    summary: "The PHE and ADPH briefing from the Creative Health inquiry: how directors of public health can use the arts to improve health and wellbeing and reduce inequalities.",
    topics: ["arts-and-health", "health-inequalities"],
    outcomes: ["system", "community"],
    network: "national",
    publishedAt: "2017-07-20T09:00:00.000Z",
  },
  {
    title: "What is social prescribing? (video 1)",
    kind: "video",
    publisherName: "YouTube",
    year: null,
    url: "https://youtu.be/O9azfXNcqD8",
    summary: "A short video explaining social prescribing: how link workers help people with what matters to them and connect them with community support.",
    topics: ["link-workers"],
    outcomes: ["person"],
    network: "national",
    publishedAt: "2018-01-10T09:00:00.000Z",
  },
  {
    title: "What is social prescribing? (video 2)",
    kind: "video",
    publisherName: "YouTube",
    year: null,
    url: "https://www.youtube.com/watch?v=NciMm5tA4jA",
    summary: "A second short introduction to social prescribing and why it matters: a social model of health alongside the medical one, and a more human approach.",
    topics: ["link-workers", "health-inequalities"],
    outcomes: ["person"],
    network: "national",
    publishedAt: "2018-01-11T09:00:00.000Z",
  },
  {
    title: "Breathe Magic: driving innovation through creative partnerships",
    kind: "case-study",
    publisherSlug: "breathe-magic",
    year: 2016,
    url: "https://player.vimeo.com/external/164533146.hd.mp4?s=613ccc69aa7cb3f48f9cb061b9467f55423c4e73&profile_id=174",
    summary:
      "A video case study of Breathe Magic, co-created by Magic Circle magicians, senior occupational therapists and researchers. Participants showed clinically significant improvements in two-handed motor skills and independence, maintained at six months; families reported up to four hours a day less care and support, and the programme was more cost-effective than standard care.",
    topics: ["arts-and-health", "children-and-families", "evaluation-and-outcomes"],
    outcomes: ["person", "system"],
    network: "north-west",
    publishedAt: "2018-01-15T09:00:00.000Z",
  },
  {
    title: "Dancing Recall: Making Connections",
    kind: "case-study",
    publisherSlug: "dancing-recall",
    year: null,
    pdf: {
      filename: "Dancing Recall - Making Connections.pdf",
      lines: [
        "Dancing Recall: Making Connections",
        "",
        "Living with dementia? Dance can help!",
        "Dancing Recall's NHS award-winning Making Connections programme can help",
        "improve concentration and responsiveness as well as overall mobility,",
        "enabling people to express themselves more fully in a safe and fun atmosphere.",
        "",
        "- Stimulates the retrieval of memories",
        "- Develops concentration",
        "- Encourages people to respond to their immediate environment",
        "- Exercises mind, memory, voice and body",
        "- Supports and energises carers",
      ],
    },
    summary:
      "Dancing Recall's NHS award-winning Making Connections programme uses music and dance with people living with dementia: it stimulates memories, develops concentration, exercises mind, memory, voice and body, and supports and energises carers.",
    topics: ["dance-and-movement", "dementia", "arts-and-health"],
    outcomes: ["person", "community"],
    network: "north-west",
    publishedAt: "2018-01-16T09:00:00.000Z",
  },
  {
    title: "Inspiring Futures for All: volunteering for wellbeing stories (video 1)",
    kind: "video",
    publisherSlug: "iwm-north",
    publisherName: "IWM North and Manchester Museum",
    year: 2016,
    url: "https://youtu.be/HZE9He0-Uxc",
    summary: "Extraordinary stories from Volunteering for wellbeing: a 90-second snapshot of how museum volunteering changed participants' lives.",
    topics: ["heritage-and-museums", "volunteering", "loneliness-and-isolation"],
    outcomes: ["person", "community"],
    network: "north-west",
    publishedAt: "2018-01-17T09:00:00.000Z",
  },
  {
    title: "Inspiring Futures for All: volunteering for wellbeing stories (video 2)",
    kind: "video",
    publisherSlug: "iwm-north",
    publisherName: "IWM North and Manchester Museum",
    year: 2016,
    url: "https://youtu.be/AbBKLMtyoxo",
    summary: "More stories from Volunteering for wellbeing participants at IWM North, Manchester Museum and their partner museums and galleries.",
    topics: ["heritage-and-museums", "volunteering", "mental-health"],
    outcomes: ["person", "community"],
    network: "north-west",
    publishedAt: "2018-01-18T09:00:00.000Z",
  },
  {
    title: "Walk and talk groups: a short guide for link workers (demo)",
    kind: "guide",
    publisherSlug: "voluntary-sector-north-west",
    year: 2018,
    url: "https://www.vsnw.org.uk",
    summary:
      "Demo data: an invented guide. How walking groups help people who are lonely or inactive take a first step back into community life, what to ask a group before referring, and how to support someone to their first walk.",
    topics: ["nature-and-green", "loneliness-and-isolation", "link-workers"],
    outcomes: ["person", "community"],
    network: "north-west",
    publishedAt: "2018-02-01T09:00:00.000Z",
  },
];

/** Idempotent: adds the deck's resources that are missing (matched by title), indexed for search. */
export async function seedResources(db: DB): Promise<void> {
  const orgIds = new Map((await db.selectFrom("organisation").select(["id", "slug"]).execute()).map((o) => [o.slug, o.id]));
  const networkIds = new Map((await db.selectFrom("network").select(["id", "slug"]).execute()).map((n) => [n.slug, n.id]));
  const existing = new Set((await db.selectFrom("resource").select("title").execute()).map((r) => r.title));
  const organiser = await db.selectFrom("account").select("id").where("email", "=", "organiser@example.org").executeTakeFirst();
  for (const r of RESOURCES) {
    if (existing.has(r.title)) continue;
    const networkId = networkIds.get(r.network);
    if (!networkId) continue;
    const stored = r.pdf ? await storeBytes(buildSimplePdf(r.pdf.lines), r.pdf.filename) : null;
    const now = nowIso();
    await writeTransaction(async (trx) => {
      const row = await trx
        .insertInto("resource")
        .values({
          network_id: networkId,
          visibility: "public",
          status: "published",
          kind: r.kind,
          title: r.title,
          summary: r.summary,
          publisher_organisation_id: r.publisherSlug ? (orgIds.get(r.publisherSlug) ?? null) : null,
          publisher_name: r.publisherName ?? null,
          year: r.year,
          url: r.url ?? null,
          licence: "",
          contributor_account_id: organiser?.id ?? null,
          created_at: r.publishedAt,
          updated_at: r.publishedAt,
          published_at: r.publishedAt,
          rejection_reason: null,
          moderated_by_account_id: null,
          moderated_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (r.topics.length) await trx.insertInto("resource_topic").values(r.topics.map((topic) => ({ resource_id: row.id, topic }))).execute();
      if (r.outcomes.length) await trx.insertInto("resource_outcome").values(r.outcomes.map((domain) => ({ resource_id: row.id, domain }))).execute();
      if (stored) {
        await trx
          .insertInto("resource_file")
          .values({
            resource_id: row.id,
            version: 1,
            storage_id: stored.storageId,
            original_filename: stored.originalFilename,
            content_type: stored.type.contentType,
            size_bytes: stored.size,
            sha256: stored.sha256,
            uploaded_at: now,
            uploaded_by_account_id: organiser?.id ?? null,
          })
          .execute();
      }
    }, db);
  }
}
