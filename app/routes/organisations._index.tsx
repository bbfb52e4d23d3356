import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SECTOR_OPTIONS } from "~/components/OrganisationForms";
import { Pagination } from "~/components/Pagination";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { ErrorSummary, Select, TextInput } from "~/components/forms";
import { MapView } from "~/components/MapView";
import { DistanceTag, NearFields } from "~/components/NearFields";
import { getOptionalUser } from "~/utils/auth.server";
import { holdsAdminRole } from "~/models/access.server";
import { directoryFilterOptions, searchOrganisations } from "~/models/organisations.server";
import { readNear } from "~/models/places.server";
import { mapTileUrl } from "~/utils/env.server";
import { SECTOR_LABELS, TOPICS } from "~/utils/vocab";
import { formatMiles } from "~/validation/near";
import { ListLink } from "~/components/ListLink";

function param(params: URLSearchParams, key: string, max = 100): string {
  return (params.get(key) ?? "").slice(0, max);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const filters = {
    sector: param(params, "sector"),
    network: param(params, "network"),
    area: param(params, "area", 200),
    topic: param(params, "topic"),
    q: param(params, "q"),
  };
  const pageParam = params.get("page") ?? "";
  const page = /^[0-9]{1,6}$/.test(pageParam) ? Number(pageParam) : 1;
  const near = await readNear(params);
  const [result, options, user] = await Promise.all([
    searchOrganisations({ ...filters, page, near: near.place ? { place: near.place, withinMiles: near.within } : null }),
    directoryFilterOptions(),
    getOptionalUser(request),
  ]);
  return json({
    ...result,
    filters: { ...filters, ...(near.text ? { near: near.text, within: String(near.within) } : {}) },
    near: { text: near.text, within: near.within, located: Boolean(near.place), place: near.place, error: near.error },
    tiles: mapTileUrl(),
    options,
    signedIn: user !== null,
    isApprover: user ? await holdsAdminRole(user) : false,
  });
}

export const meta: MetaFunction = () => [
  { title: "Partner organisations – Roundtable" },
  { name: "description", content: "Local authorities, VCSE groups, ICBs, trusts, universities, museums and arts charities working on social prescribing." },
];

export default function Organisations() {
  const { items, total, page, totalPages, filters, near, tiles, options, signedIn, isApprover } = useLoaderData<typeof loader>();
  const filtered = Object.values(filters).some(Boolean);
  const link = (p: number) => {
    const sp = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `/organisations?${s}` : "/organisations";
  };
  return (
    <Page crumbs={[]} wide>
      <ErrorSummary errors={near.error ? { near: near.error } : undefined} />
      <h1>Partner organisations</h1>
      <p className="nhsuk-lede-text">Who works on social prescribing, what they offer and where. Find a partner, a connector scheme or evidence of what works.</p>
      <ul className="rt-inline-links nhsuk-list">
        <li>
          <Link to="/services">Services near you</Link>
        </li>
        <li>
          <Link to="/organisations/connector-schemes">Connector schemes by area</Link>
        </li>
        <li>
          <Link to="/organisations/evidence">Evidence and outcomes</Link>
        </li>
        {signedIn ? (
          <>
            <li>
              <Link to="/organisations/new">Propose an organisation</Link>
            </li>
            <li>
              <Link to="/members">Member directory</Link>
            </li>
            {isApprover ? (
              <li>
                <Link to="/organisations/queue">Organisations waiting for approval</Link>
              </li>
            ) : null}
          </>
        ) : null}
      </ul>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-third">
          <Form method="get" role="search" aria-label="Filter organisations">
            <h2 className="nhsuk-heading-s">Filter</h2>
            <TextInput name="q" label="Name" type="search" defaultValue={filters.q} />
            <NearFields near={near.text} within={near.within} error={near.error} hint="Nearest first, with the distance. For example, PR1 2HE" />
            <Select name="sector" label="Sector" defaultValue={filters.sector} options={[{ value: "", label: "Any sector" }, ...SECTOR_OPTIONS.slice(1)]} />
            <Select name="network" label="Network" defaultValue={filters.network} options={[{ value: "", label: "Any network" }, ...options.networks.map((n) => ({ value: n.slug, label: n.name }))]} />
            <Select name="area" label="Area served" defaultValue={filters.area} options={[{ value: "", label: "Any area" }, ...options.areas.map((a) => ({ value: a, label: a }))]} />
            <Select name="topic" label="Service topic" defaultValue={filters.topic} options={[{ value: "", label: "Any topic" }, ...TOPICS.map((t) => ({ value: t.value, label: t.label }))]} />
            <button className="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" type="submit">
              Apply filters
            </button>
            {filtered ? (
              <p>
                <Link to="/organisations">Clear filters</Link>
              </p>
            ) : null}
          </Form>
        </div>
        <div className="nhsuk-grid-column-two-thirds">
          <p className="rt-count" aria-live="polite">
            {total === 1 ? "1 organisation" : `${total} organisations`}
            {filtered && !near.located ? " match" : ""}
            {near.located ? ` within ${near.within} ${near.within === 1 ? "mile" : "miles"} of ${near.text}, nearest first` : ""}
          </p>
          {near.place && items.length ? (
            <MapView
              label={`Map of organisations near ${near.text}`}
              centre={{ ...near.place, name: near.text }}
              points={items.flatMap((o) => (o.latitude !== null && o.longitude !== null && o.miles !== null ? [{ key: String(o.id), name: o.name, url: `/organisations/${o.slug}`, detail: `${formatMiles(o.miles)} away`, latitude: o.latitude, longitude: o.longitude }] : []))}
              tiles={tiles}
            />
          ) : null}
          {items.length === 0 ? (
            <EmptyState title="No organisations match">
              <p>Try fewer filters, or <Link to="/organisations">see them all</Link>.</p>
            </EmptyState>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {items.map((o) => (
                <li key={o.id}>
                  <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                    <ListLink to={`/organisations/${o.slug}`}>{o.name}</ListLink>
                  </h2>
                  <p className="nhsuk-body-s rt-meta nhsuk-u-margin-bottom-1">
                    <DistanceTag miles={o.miles} online={false} /> {SECTOR_LABELS[o.sector]} · {o.area_served}
                    {o.networks.length ? ` · ${o.networks.map((n) => n.short_name).join(", ")}` : ""}
                  </p>
                  <p className="nhsuk-u-margin-bottom-0">{o.summary}</p>
                </li>
              ))}
            </ul>
          )}
          <Pagination page={page} pages={totalPages} link={link} />
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
