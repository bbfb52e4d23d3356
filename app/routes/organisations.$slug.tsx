import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EditorLinks } from "~/components/OrganisationForms";
import { EmbedSnippet } from "~/components/EmbedSnippet";
import { Page } from "~/components/Page";
import { RelatedDiscussions } from "~/components/RelatedDiscussions";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listThreadsAbout } from "~/models/discussions.server";
import { Button, Textarea } from "~/components/forms";
import {
  followerCount,
  getOrganisationForViewer,
  hasLogo,
  isFollowing,
  leaveOrganisation,
  listCaseStudies,
  listOrganisationNetworks,
  listOrganisationPeople,
  listServices,
  requestAffiliation,
  setFollowing,
} from "~/models/organisations.server";
import { calendarImportAccess } from "~/models/access.server";
import { listEventsFor } from "~/models/events/queries.server";
import { listResourcesFor } from "~/models/resources.server";
import { getOptionalUser, requireUser } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { cleanMultiline } from "~/utils/text";
import { outcomeLabel, SECTOR_LABELS, topicLabel } from "~/utils/vocab";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const found = await getOrganisationForViewer(params.slug ?? "", user);
  if (!found) throw new Response("Not found", { status: 404 });
  const { org, access } = found;
  const [networks, services, caseStudies, people, following, followers, logo, resources, events, calendars] = await Promise.all([
    listOrganisationNetworks(org.id),
    listServices(org.id),
    listCaseStudies(org.id),
    user ? listOrganisationPeople(org.id) : Promise.resolve(null),
    user ? isFollowing(user.id, org.id) : Promise.resolve(false),
    followerCount(org.id),
    hasLogo(org.id),
    org.status === "approved" ? listResourcesFor({ organisationId: org.id, limit: 10 }) : Promise.resolve([]),
    org.status === "approved" ? listEventsFor({ organisationId: org.id, user, limit: 5 }) : Promise.resolve([]),
    org.status === "approved" ? calendarImportAccess(user, org) : Promise.resolve({ canManage: false }),
  ]);
  return json({
    organisation: {
      slug: org.slug,
      name: org.name,
      sector: org.sector,
      status: org.status,
      summary: org.summary,
      description: org.description,
      area_served: org.area_served,
      address: org.address,
      postcode: org.postcode,
      website: org.website,
      email: org.email,
      phone: org.phone,
      registry_number: org.registry_number,
      logoVersion: logo ? encodeURIComponent(logo) : null,
    },
    networks,
    services: services.map((s) => ({
      id: s.id,
      uuid: s.uuid,
      name: s.name,
      description: s.description,
      eligibility: s.eligibility,
      how_to_refer: s.how_to_refer,
      schedule_text: s.schedule_text,
      where: [s.location_name, s.address, s.city, s.postcode].filter(Boolean).join(", "),
      online: s.online,
      cost: s.cost || (s.is_free ? "Free" : ""),
      url: s.url,
      email: s.email,
      phone: s.phone,
      status: s.status,
      topics: s.topics,
    })),
    caseStudies: caseStudies.map((c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary,
      figure_text: c.figure_text,
      period: c.period,
      participants: c.participants,
      partners: c.partners,
      source_title: c.source_title,
      source_url: c.source_url,
      domains: c.domains,
    })),
    people,
    resources: resources.map((r) => ({ id: r.id, title: r.title, url: r.url, meta: r.meta })),
    events: events.map((e) => ({ key: `${e.eventId}-${e.startUtc}`, title: e.title, url: e.url, when: e.shortWhen, place: e.place })),
    following,
    followers,
    access: { signedIn: access.signedIn, canEdit: access.canEdit, needsTwoStep: access.needsTwoStep, affiliation: access.affiliation, canImport: calendars.canManage },
    embed: { embedUrl: `${env().APP_URL}/embed/events?organisation=${org.slug}`, jsonUrl: `${env().APP_URL}/events.json?organisation=${org.slug}` },
    discussions: { threads: await listThreadsAbout({ subjectType: "organisation", subjectId: org.id, user }), about: `organisation:${org.id}` as const },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const found = await getOrganisationForViewer(params.slug ?? "", user);
  if (!found || found.org.status !== "approved") throw new Response("Not found", { status: 404 });
  const { org } = found;
  const form = await request.formData();
  const intent = form.get("intent");
  const here = `/organisations/${org.slug}`;
  switch (intent) {
    case "follow":
      await setFollowing(user.id, org.id, true);
      return redirectWithFlash(here, `You are following ${org.name}. Its events join your calendar feed and its news your digest.`);
    case "unfollow":
      await setFollowing(user.id, org.id, false);
      return redirectWithFlash(here, `You no longer follow ${org.name}.`);
    case "affiliate": {
      const raw = form.get("message");
      const message = typeof raw === "string" ? cleanMultiline(raw) : "";
      if (message.length > 500) return json({ errors: { message: "Your message must be 500 characters or fewer" }, values: { message } }, { status: 400 });
      const result = await requestAffiliation(user, org.id, message || null);
      const words = {
        requested: `Thanks. ${org.name}'s admins will answer your request.`,
        "already-requested": "You have already asked; the organisation's admins will answer soon.",
        "already-member": `You are already listed at ${org.name}.`,
      } as const;
      return redirectWithFlash(here, words[result], { kind: result === "requested" ? "success" : "info" });
    }
    case "leave": {
      const result = await leaveOrganisation(user.id, org.id);
      if (!result.ok) return json({ errors: { leave: result.message }, values: {} }, { status: 400 });
      return redirectWithFlash(here, `You are no longer listed at ${org.name}.`);
    }
    default:
      return json({ errors: { form: "Choose what you want to do" }, values: {} }, { status: 400 });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.organisation.name} – Roundtable` : "Organisation – Roundtable" },
  ...(data ? [{ name: "description", content: data.organisation.summary }] : []),
];

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

const SERVICE_STATUS_WORDS: Record<string, string> = {
  active: "",
  inactive: "Not running at the moment",
  defunct: "Closed",
  "temporarily closed": "Temporarily closed",
};

export default function OrganisationPage() {
  const { organisation: o, networks, services, caseStudies, people, resources, events, following, followers, access, discussions, embed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = actionData?.errors;
  return (
    <Page crumbs={[{ to: "/organisations", label: "Organisations" }]}>
      {o.status !== "approved" ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              {o.status === "pending" ? "Waiting for approval" : "Not approved"}
            </span>
          </h2>
          <p>
            {o.status === "pending"
              ? "Only you and the network's admins can see this profile until an admin approves it."
              : "A network admin did not approve this organisation, so it is not listed."}
          </p>
        </div>
      ) : null}
      <div className="rt-org-head">
        {o.logoVersion ? <img className="rt-org-logo" src={`/organisations/${o.slug}/logo?v=${o.logoVersion}`} alt={`${o.name} logo`} /> : null}
        <div>
          <span className="nhsuk-caption-l">{SECTOR_LABELS[o.sector]}</span>
          <h1>{o.name}</h1>
        </div>
      </div>
      <p className="nhsuk-lede-text">{o.summary}</p>
      {access.canEdit ? <EditorLinks slug={o.slug} /> : null}
      {access.canImport ? (
        <ul className="rt-inline-links nhsuk-list">
          <li>
            <Link to={`/organisations/${o.slug}/calendars`}>Imported calendars</Link>
          </li>
        </ul>
      ) : null}
      {access.needsTwoStep ? (
        <p>
          You can manage this profile as a network admin once you <Link to="/account/two-step">turn on two-step verification</Link>.
        </p>
      ) : null}

      {o.status === "approved" ? (
        access.signedIn ? (
          <div className="rt-button-row">
            <Form method="post" className="rt-inline-form">
              <Button name="intent" value={following ? "unfollow" : "follow"} variant={following ? "secondary" : undefined}>
                {following ? `Stop following ${o.name}` : `Follow ${o.name}`}
              </Button>
            </Form>
          </div>
        ) : (
          <p>
            <Link to={`/sign-in?redirectTo=${encodeURIComponent(`/organisations/${o.slug}`)}`}>Sign in</Link> to follow {o.name}: its events join your calendar feed and its news your digest.
          </p>
        )
      ) : null}
      <p className="nhsuk-body-s rt-meta">{followers === 1 ? "1 follower" : `${followers} followers`}</p>

      {o.description ? <p className="rt-prewrap">{o.description}</p> : null}
      <dl className="nhsuk-summary-list">
        <Row label="Area served">{o.area_served}</Row>
        {networks.length ? (
          <Row label="Networks">
            {networks.map((n, i) => (
              <span key={n.id}>
                {i > 0 ? ", " : ""}
                <Link to={`/networks/${n.slug}`}>{n.name}</Link>
              </span>
            ))}
          </Row>
        ) : null}
        {o.address || o.postcode ? <Row label="Address">{[o.address, o.postcode].filter(Boolean).join(", ")}</Row> : null}
        {o.website ? (
          <Row label="Website">
            <a href={o.website} rel="noopener noreferrer">
              {o.website.replace(/^https?:\/\//, "")}
            </a>
          </Row>
        ) : null}
        {o.email ? (
          <Row label="Email">
            <a href={`mailto:${o.email}`}>{o.email}</a>
          </Row>
        ) : null}
        {o.phone ? (
          <Row label="Phone">
            <a href={`tel:${o.phone.replace(/[^0-9+]/g, "")}`}>{o.phone}</a>
          </Row>
        ) : null}
        {o.registry_number ? <Row label="Registration number">{o.registry_number}</Row> : null}
      </dl>

      <h2 id="services">Services</h2>
      {services.length === 0 ? (
        <p>No services listed yet.</p>
      ) : (
        services.map((s) => (
          <div className="nhsuk-card" key={s.id} id={`service-${s.id}`}>
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading">{s.name}</h3>
              {SERVICE_STATUS_WORDS[s.status] ? <strong className="nhsuk-tag nhsuk-tag--grey">{SERVICE_STATUS_WORDS[s.status]}</strong> : null}
              <p className="nhsuk-card__description rt-prewrap">{s.description}</p>
              <dl className="nhsuk-summary-list nhsuk-u-margin-bottom-2">
                {s.eligibility ? <Row label="Who it is for">{s.eligibility}</Row> : null}
                {s.how_to_refer ? <Row label="How to refer">{s.how_to_refer}</Row> : null}
                {s.schedule_text ? <Row label="When">{s.schedule_text}</Row> : null}
                {s.where || s.online ? <Row label="Where">{[s.where, s.online ? "Online" : ""].filter(Boolean).join("; ")}</Row> : null}
                {s.cost ? <Row label="Cost">{s.cost}</Row> : null}
                {s.url ? (
                  <Row label="Web page">
                    <a href={s.url} rel="noopener noreferrer">
                      {s.url.replace(/^https?:\/\//, "")}
                    </a>
                  </Row>
                ) : null}
                {s.email ? (
                  <Row label="Email">
                    <a href={`mailto:${s.email}`}>{s.email}</a>
                  </Row>
                ) : null}
                {s.phone ? <Row label="Phone">{s.phone}</Row> : null}
              </dl>
              {s.topics.length ? (
                <ul className="rt-tag-list" aria-label="Topics">
                  {s.topics.map((t) => (
                    <li key={t}>
                      <Link className="nhsuk-tag nhsuk-tag--white" to={`/organisations?topic=${t}`}>
                        {topicLabel(t)}
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : null}
              {access.canEdit ? (
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  <Link to={`/organisations/${o.slug}/services/${s.id}/edit`}>
                    Edit<span className="nhsuk-u-visually-hidden"> {s.name}</span>
                  </Link>
                </p>
              ) : null}
            </div>
          </div>
        ))
      )}

      <h2 id="case-studies">Case studies and outcomes</h2>
      {caseStudies.length === 0 ? (
        <p>No case studies yet.</p>
      ) : (
        caseStudies.map((c) => (
          <div className="nhsuk-card" key={c.id} id={`case-study-${c.id}`}>
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading">{c.title}</h3>
              <p className="nhsuk-heading-s">{c.figure_text}</p>
              <p className="nhsuk-card__description rt-prewrap">{c.summary}</p>
              <p className="nhsuk-body-s rt-meta">
                {[c.period, c.participants !== null ? `${c.participants} participants` : null, c.partners].filter(Boolean).join(" · ")}
              </p>
              <ul className="rt-tag-list" aria-label="Outcome domains">
                {c.domains.map((d) => (
                  <li key={d}>
                    <strong className="nhsuk-tag nhsuk-tag--blue">{outcomeLabel(d)}</strong>
                  </li>
                ))}
              </ul>
              {c.source_title || c.source_url ? (
                <p className="nhsuk-body-s">
                  Source:{" "}
                  {c.source_url ? (
                    <a href={c.source_url} rel="noopener noreferrer">
                      {c.source_title || c.source_url}
                    </a>
                  ) : (
                    c.source_title
                  )}
                </p>
              ) : null}
              {access.canEdit ? (
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  <Link to={`/organisations/${o.slug}/case-studies/${c.id}/edit`}>
                    Edit<span className="nhsuk-u-visually-hidden"> {c.title}</span>
                  </Link>
                </p>
              ) : null}
            </div>
          </div>
        ))
      )}

      {events.length ? (
        <>
          <h2 id="events">Upcoming events</h2>
          <ul className="nhsuk-list nhsuk-list--border">
            {events.map((e) => (
              <li key={e.key}>
                <Link to={e.url}>{e.title}</Link>
                <span className="nhsuk-body-s rt-meta">
                  {" "}
                  · {e.when} · {e.place}
                </span>
              </li>
            ))}
          </ul>
          <EmbedSnippet embedUrl={embed.embedUrl} jsonUrl={embed.jsonUrl} name={o.name} />
        </>
      ) : null}

      {resources.length ? (
        <>
          <h2 id="resources">Resources from {o.name}</h2>
          <ul className="nhsuk-list nhsuk-list--border">
            {resources.map((r) => (
              <li key={r.id}>
                <Link to={r.url}>{r.title}</Link>
                {r.meta ? <span className="nhsuk-body-s rt-meta"> · {r.meta}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 id="people">People</h2>
      {people === null ? (
        <p>
          <Link to={`/sign-in?redirectTo=${encodeURIComponent(`/organisations/${o.slug}`)}`}>Sign in</Link> to see the members who work here.
        </p>
      ) : people.length === 0 ? (
        <p>No members have listed themselves here yet.</p>
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {people.map((p, i) => (
            <li key={i}>
              <strong>{p.name}</strong>
              {p.job_title ? `, ${p.job_title}` : ""}
              {p.role === "admin" ? <span className="nhsuk-body-s rt-meta"> · profile admin</span> : null}
            </li>
          ))}
        </ul>
      )}
      {access.signedIn && o.status === "approved" ? (
        access.affiliation?.status === "approved" ? (
          <Form method="post">
            {errors?.leave ? (
              <p className="nhsuk-error-message">
                <span className="nhsuk-u-visually-hidden">Error:</span> {errors.leave}
              </p>
            ) : null}
            <Button name="intent" value="leave" variant="secondary">
              I no longer work here
            </Button>
          </Form>
        ) : access.affiliation?.status === "pending" ? (
          <p>You have asked to be listed here; the organisation's admins will answer.</p>
        ) : (
          <details className="nhsuk-details">
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">I work here</span>
            </summary>
            <div className="nhsuk-details__text">
              <Form method="post">
                <Textarea name="message" label="A note for the organisation's admins (optional)" error={errors?.message} rows={3} />
                <Button name="intent" value="affiliate">
                  Ask to be listed
                </Button>
              </Form>
            </div>
          </details>
        )
      ) : null}
      {o.status === "approved" ? <RelatedDiscussions threads={discussions.threads} about={discussions.about} /> : null}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
