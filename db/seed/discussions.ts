import type { DB } from "../index";
import { writeTransaction } from "../index";

type CategorySeed = { slug: string; name: string; description: string };
type ThreadSeed = {
  network: "north-west" | "national";
  category: string;
  title: string;
  author: string;
  about?: { type: "organisation"; slug: string };
  pinned?: boolean;
  /** Days before "now" the opening post was written; replies follow an hour or so apart. */
  daysAgo: number;
  body: string;
  replies: Array<{ author: string; body: string }>;
};

export const CATEGORIES: Record<"north-west" | "national", CategorySeed[]> = {
  "north-west": [
    {
      slug: "evaluation",
      name: "Evaluation and the Common Outcomes Framework",
      description: "Measuring what matters: impact on the person, on the health and care system, and on community groups.",
    },
    { slug: "arts-and-health", name: "Arts and health", description: "Arts on prescription, museums, dance, music and creative health." },
    { slug: "link-workers", name: "Link workers", description: "Practice, training and peer support for link workers and connector schemes." },
    { slug: "funding-the-vcse", name: "Funding the VCSE", description: "The voluntary sector is not free: funding, commissioning and capacity." },
  ],
  national: [
    { slug: "general", name: "General", description: "News and questions for the whole social prescribing community." },
    { slug: "evaluation", name: "Evaluation and outcomes", description: "Evidence, outcomes and the Common Outcomes Framework, nationally." },
  ],
};

export const THREADS: ThreadSeed[] = [
  {
    network: "north-west",
    category: "evaluation",
    title: "Everyone measuring the same things: the Common Outcomes Framework",
    author: "organiser@example.org",
    pinned: true,
    daysAgo: 12,
    body: `NHS England's Common Outcomes Framework asks us all to measure the same things, in three domains:

1. impact on the person, their carers and families;
2. impact on the health and care system;
3. impact on community groups.

Which tools are your schemes using today, and what would it take to line them up across the North West?`,
    replies: [
      {
        author: "member@example.org",
        body: "Our link workers use WEMWBS at the first and the last session. It works for the person domain, but we have nothing yet for the impact on community groups.",
      },
      {
        author: "moderator@example.org",
        body: `> Our link workers use WEMWBS at the first and the last session.

Same here. The University of Westminster review found 28% fewer GP consultations where connector services work well, so the system domain can draw on practice data. @olivia-organiser, could the network collect a short template?`,
      },
      {
        author: "organiser@example.org",
        body: "Yes: I will bring a draft template to the Preston conference on 13 December so we can agree it together.",
      },
    ],
  },
  {
    network: "north-west",
    category: "arts-and-health",
    title: "Arts on prescription: what is working for your link workers?",
    author: "member@example.org",
    daysAgo: 8,
    body: `We refer more and more people to arts activities: museum volunteering, dance and creative groups. What have you seen work, and how do you keep the links with arts organisations alive?`,
    replies: [
      {
        author: "organiser@example.org",
        body: "The *Volunteering for wellbeing* partnership of ten museums, with IWM North and Manchester Museum, reported a social return of **£3.50 for every £1** invested. The report is in the resource repository.",
      },
      {
        author: "moderator@example.org",
        body: "Dancing Recall's *Making Connections* sessions for people living with dementia have a waiting list in our area: worth a look if you cover Cumbria.",
      },
    ],
  },
  {
    network: "north-west",
    category: "arts-and-health",
    title: "Breathe Magic: magic-based therapy with occupational therapists",
    author: "moderator@example.org",
    about: { type: "organisation", slug: "breathe-magic" },
    daysAgo: 5,
    body: "Has anyone referred to Breathe Magic? Their programmes pair magic tricks with occupational therapy to build hand skills and confidence.",
    replies: [{ author: "member@example.org", body: "Two young people from our practice joined last year; both families told us it built their confidence." }],
  },
  {
    network: "north-west",
    category: "link-workers",
    title: "Preston regional conference on 13 December: who is going?",
    author: "organiser@example.org",
    daysAgo: 3,
    body: "Save the date: the North West regional conference is in Preston on **13 December**. Tell us here what you would like on the agenda, and whether you can run a workshop.",
    replies: [
      { author: "member@example.org", body: "I will be there. A session on peer support for link workers, please: caseloads keep growing." },
      { author: "admin@example.org", body: "Thank you. We will keep an afternoon slot for link workers to share practice." },
    ],
  },
  {
    network: "north-west",
    category: "funding-the-vcse",
    title: "The voluntary sector is not free",
    author: "member@example.org",
    daysAgo: 2,
    body: `Every referral a link worker makes lands on a community group. Many of ours run on volunteers and small grants, and they are asking who pays when referrals double.

How are commissioners in your area funding the groups that receive referrals?`,
    replies: [
      {
        author: "organiser@example.org",
        body: "In Halton the CCG's cultural manifesto set aside a small grants pot for receiving groups. It is not much, but it shows the principle.",
      },
    ],
  },
  {
    network: "north-west",
    category: "link-workers",
    title: "Walking groups for people who are lonely",
    author: "member@example.org",
    daysAgo: 4,
    body: `Several of the people I see are lonely but would never walk into a community centre. A walking group seems an easier first step: side by side, no eye contact needed, and you can leave at any time.

Does anyone refer to a walk and talk group in Cumbria or Lancashire?`,
    replies: [
      {
        author: "organiser@example.org",
        body: "The Eden Valley Walk and Talk in Penrith takes referrals, and walkers go at the pace of the slowest. Several of ours have gone on to volunteer as walk leaders.",
      },
    ],
  },
  {
    network: "national",
    category: "general",
    title: "Welcome to the national Social Prescribing Network",
    author: "national@example.org",
    daysAgo: 10,
    body: "A place for questions that go beyond one region. Say hello and tell us which network you are part of.",
    replies: [],
  },
];

const HANDLES: Record<string, string> = {
  "admin@example.org": "alex-admin",
  "organiser@example.org": "olivia-organiser",
  "moderator@example.org": "mo-moderator",
  "member@example.org": "sam-member",
  "national@example.org": "nadia-national",
};

/**
 * Discussion demo data from the deck's themes. Idempotent: categories by (network, slug),
 * threads by (network, title); existing ones are left as they are.
 */
export async function seedDiscussions(db: DB, now: Date = new Date()): Promise<void> {
  await writeTransaction(async (trx) => {
    const networks = await trx.selectFrom("network").select(["id", "slug"]).where("slug", "in", ["north-west", "national"]).execute();
    const networkId = new Map(networks.map((n) => [n.slug, n.id]));
    const accounts = await trx.selectFrom("account").select(["id", "email"]).where("email", "in", Object.keys(HANDLES)).execute();
    const accountId = new Map(accounts.map((a) => [a.email, a.id]));

    for (const [email, handle] of Object.entries(HANDLES)) {
      const id = accountId.get(email);
      if (!id) continue;
      await trx.insertInto("discussion_handle").values({ account_id: id, handle }).onConflict((oc) => oc.doNothing()).execute();
    }

    // North West chooses public discussions (anyone may read, members post); the national network keeps them for members.
    for (const [slug, visibility] of [
      ["north-west", "public"],
      ["national", "members"],
    ] as const) {
      const id = networkId.get(slug);
      if (id === undefined) continue;
      await trx
        .insertInto("discussion_setting")
        .values({ network_id: id, visibility, updated_at: now.toISOString(), updated_by_account_id: null })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }

    for (const [slug, categories] of Object.entries(CATEGORIES)) {
      const id = networkId.get(slug);
      if (id === undefined) continue;
      for (const [position, c] of categories.entries()) {
        await trx
          .insertInto("discussion_category")
          .values({ network_id: id, slug: c.slug, name: c.name, description: c.description, position, created_at: now.toISOString() })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }

    for (const t of THREADS) {
      const nid = networkId.get(t.network);
      const author = accountId.get(t.author);
      if (nid === undefined || !author) continue;
      const exists = await trx.selectFrom("discussion_thread").select("id").where("network_id", "=", nid).where("title", "=", t.title).executeTakeFirst();
      if (exists) continue;
      const category = await trx.selectFrom("discussion_category").select("id").where("network_id", "=", nid).where("slug", "=", t.category).executeTakeFirstOrThrow();
      let subject: { type: "organisation"; id: number } | null = null;
      if (t.about) {
        const org = await trx.selectFrom("organisation").select("id").where("slug", "=", t.about.slug).executeTakeFirst();
        if (org) subject = { type: "organisation", id: org.id };
      }
      const start = now.getTime() - t.daysAgo * 24 * 3600_000;
      const at = (i: number) => new Date(start + i * 75 * 60_000).toISOString();
      const posts = [{ author: t.author, body: t.body }, ...t.replies];
      const thread = await trx
        .insertInto("discussion_thread")
        .values({
          network_id: nid,
          category_id: category.id,
          title: t.title,
          author_account_id: author,
          subject_type: subject?.type ?? null,
          subject_id: subject?.id ?? null,
          pinned: t.pinned ?? false,
          locked: false,
          hidden: false,
          created_at: at(0),
          last_post_at: at(posts.length - 1),
          reply_count: posts.length - 1,
          last_seq: posts.length,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const [i, p] of posts.entries()) {
        await trx
          .insertInto("discussion_post")
          .values({ thread_id: thread.id, seq: i + 1, author_account_id: accountId.get(p.author) ?? null, body: p.body, created_at: at(i), edited_at: null, hidden: false, deleted_at: null })
          .execute();
      }
      for (const email of new Set(posts.map((p) => p.author))) {
        const id = accountId.get(email);
        if (!id) continue;
        await trx.insertInto("discussion_thread_follow").values({ account_id: id, thread_id: thread.id, created_at: at(0) }).onConflict((oc) => oc.doNothing()).execute();
        await trx
          .insertInto("discussion_thread_read")
          .values({ account_id: id, thread_id: thread.id, last_read_seq: posts.length, updated_at: at(posts.length - 1) })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
  }, db);
}
