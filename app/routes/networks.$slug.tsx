import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { noticeJoinRequested } from "~/models/network-notices.server";
import { EmbedSnippet } from "~/components/EmbedSnippet";
import { Button, ErrorSummary, Textarea } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { networkRole, roleAtLeast } from "~/models/access.server";
import { getMembership, getNetworkBySlug, networkPeopleSummary, requestToJoin } from "~/models/networks.server";
import { listNetworkOrganisations } from "~/models/organisations.server";
import { listPendingSources } from "~/models/calendar-sources.server";
import { getOptionalUser, requireUser } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { SECTOR_LABELS } from "~/utils/vocab";
import { optionalText } from "~/validation/accounts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const network = await getNetworkBySlug(params.slug ?? "");
  if (!network) throw new Response("Not found", { status: 404 });
  const user = await getOptionalUser(request);
  const [organisations, people, role, membership, pendingCalendars] = await Promise.all([
    listNetworkOrganisations(network.id),
    networkPeopleSummary(network.id),
    networkRole(user, network.id),
    user ? getMembership(user.id, network.id) : undefined,
    listPendingSources({ user, networkId: network.id }),
  ]);
  const isMember = role !== null;
  return json({
    network: {
      slug: network.slug,
      name: network.name,
      short_name: network.short_name,
      region: network.region,
      summary: network.summary,
      about: network.about,
      purpose: network.purpose,
      host_name: network.host_name,
      host_slug: network.host_slug,
      contact_email: network.contact_email,
    },
    memberCount: people.memberCount,
    pendingCalendars: pendingCalendars.map((c) => ({ url: `/organisations/${c.slug}/calendars#source-${c.id}`, name: c.name, organisation: c.organisation_name, events: c.events_imported })),
    embed: { embedUrl: `${env().APP_URL}/embed/events?network=${network.slug}`, jsonUrl: `${env().APP_URL}/events.json?network=${network.slug}` },
    admins: people.admins.map((a) => ({ name: a.name, jobTitle: a.job_title, organisation: a.organisation_name, email: isMember ? a.email : null })),
    viewer: user
      ? { signedIn: true, verified: user.emailVerified, role, status: membership?.status ?? null, canManage: roleAtLeast(role, "admin") }
      : { signedIn: false, verified: false, role: null, status: null, canManage: false },
    organisations,
  });
}

const joinSchema = z.object({ message: optionalText("Your message", 500) });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const network = await getNetworkBySlug(params.slug ?? "");
  if (!network) throw new Response("Not found", { status: 404 });
  const values = formToObject(await request.formData());
  if (values.intent !== "join") throw new Response("Bad request", { status: 400 });
  const parsed = parseForm(joinSchema, { message: "", ...values });
  if (!parsed.ok) return json({ errors: parsed.errors, values }, { status: 400 });
  const result = await requestToJoin(user, network.id, parsed.data.message);
  const here = `/networks/${network.slug}`;
  switch (result) {
    case "unverified":
      return json({ errors: { message: "Confirm your email address before asking to join: use the link we emailed you, or send a new one from your account page" }, values }, { status: 400 });
    case "approved":
      return redirectWithFlash(here, `Welcome to ${network.name}. Your email address let you in straight away.`);
    case "already-member":
      return redirectWithFlash(here, `You are already a member of ${network.name}.`, { kind: "info" });
    case "already-requested":
      return redirectWithFlash(here, "You have already asked to join. An admin will look at your request soon.", { kind: "info" });
    case "requested":
      await noticeJoinRequested({ networkId: network.id, networkName: network.name, networkSlug: network.slug, applicantId: user.id, applicantName: user.name });
      return redirectWithFlash(here, `You have asked to join ${network.name}. We will email you when an admin has answered.`);
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.network.name} – Roundtable` : "Network – Roundtable" }];

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

function Membership() {
  const { network, viewer } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const here = `/networks/${network.slug}`;
  let body: React.ReactNode;
  if (!viewer.signedIn) {
    body = (
      <p>
        <Link to={`/sign-in?redirectTo=${encodeURIComponent(here)}`}>Sign in</Link> or <Link to="/sign-up">create an account</Link> to ask to join.
      </p>
    );
  } else if (viewer.role) {
    body = (
      <>
        <p>
          You are {viewer.role === "member" ? "a member" : `${/^[aeiou]/.test(viewer.role) ? "an" : "a"} ${viewer.role}`} of this network.
        </p>
        <p>
          <Link to={`${here}/members`}>{viewer.canManage ? "Members and requests" : "See the members"}</Link>
        </p>
      </>
    );
  } else if (viewer.status === "pending") {
    body = <p>You have asked to join. An admin will look at your request soon, and we will email you.</p>;
  } else if (!viewer.verified) {
    body = (
      <p>
        Confirm your email address to ask to join: use the link we emailed you, or <Link to="/account">send a new one</Link>.
      </p>
    );
  } else {
    body = (
      <>
        {viewer.status === "declined" ? <p>Your last request was not approved. You can ask again.</p> : <p>Members see the network’s members-only events, resources and discussions.</p>}
        <ErrorSummary errors={errors} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="join" />
          <Textarea name="message" label="Message to the admins (optional)" hint="For example, your role and where you work." rows={3} defaultValue={typeof data?.values?.message === "string" ? data.values.message : ""} error={errors?.message} />
          <Button>Ask to join</Button>
        </Form>
      </>
    );
  }
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading">Membership</h2>
        {body}
      </div>
    </div>
  );
}

export default function NetworkPage() {
  const { network, organisations, memberCount, admins, viewer, embed, pendingCalendars } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/networks", label: "Networks" }]}>
      <h1>{network.name}</h1>
      <p className="nhsuk-lede-text">{network.summary}</p>
      <dl className="nhsuk-summary-list">
        <Row label="Region">{network.region}</Row>
        {network.host_name ? (
          <Row label="Hosted by">
            <Link to={`/organisations/${network.host_slug}`}>{network.host_name}</Link>
          </Row>
        ) : null}
        <Row label="Members">{memberCount}</Row>
        {admins.length ? <Row label={admins.length === 1 ? "Admin" : "Admins"}>{admins.map((a) => a.name).join(", ")}</Row> : null}
        {network.contact_email ? (
          <Row label="Contact">
            <a href={`mailto:${network.contact_email}`}>{network.contact_email}</a>
          </Row>
        ) : null}
      </dl>
      <Membership />
      {pendingCalendars.length ? (
        <section aria-labelledby="pending-calendars">
          <h2 id="pending-calendars">Imported calendars waiting for approval</h2>
          <p>Their events are imported as drafts (only organisers see them) until you approve the calendar.</p>
          <ul className="nhsuk-list nhsuk-list--border">
            {pendingCalendars.map((c) => (
              <li key={c.url}>
                <Link to={c.url}>{c.name}</Link>
                <span className="nhsuk-body-s rt-meta">
                  {" "}
                  · {c.organisation} · {c.events} {c.events === 1 ? "event" : "events"}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>About</h2>
      <p>{network.about}</p>
      <h2>What it is for</h2>
      <p>{network.purpose}</p>
      {viewer.role ? (
        <section aria-labelledby="members-only">
          <h2 id="members-only">For members</h2>
          <p>Your network admins are happy to hear from you:</p>
          <ul className="nhsuk-list nhsuk-list--border">
            {admins.map((a) => (
              <li key={a.email ?? a.name}>
                {a.name}
                {a.jobTitle ? `, ${a.jobTitle}` : ""}
                {a.organisation ? ` (${a.organisation})` : ""}
                {a.email ? (
                  <>
                    {" "}
                    · <a href={`mailto:${a.email}`}>{a.email}</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <p>
            <Link to={`/networks/${network.slug}/members`}>See who else is in {network.short_name}</Link>
          </p>
        </section>
      ) : null}
      <h2>Partner organisations</h2>
      <ul className="nhsuk-list nhsuk-list--border">
        {organisations.map((o) => (
          <li key={o.id}>
            <Link to={`/organisations/${o.slug}`}>{o.name}</Link>
            <span className="nhsuk-body-s rt-meta rt-meta--below">{SECTOR_LABELS[o.sector]}</span>
          </li>
        ))}
      </ul>
      <p><Link to={`/events?network=${network.slug}`}>{network.short_name} events calendar</Link> · <a href={`/networks/${network.slug}/events.ics`}>subscribe (iCal)</a></p>
      <EmbedSnippet embedUrl={embed.embedUrl} jsonUrl={embed.jsonUrl} name={network.name} />
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
