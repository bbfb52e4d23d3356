import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Select, TextInput } from "~/components/forms";
import { MapView } from "~/components/MapView";
import { DistanceTag, NearFields } from "~/components/NearFields";
import { EmptyState, Page } from "~/components/Page";
import { Pagination } from "~/components/Pagination";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { readNear } from "~/models/places.server";
import { listServiceDirectory } from "~/models/service-directory.server";
import { mapTileUrl } from "~/utils/env.server";
import { TOPICS } from "~/utils/vocab";
import { formatMiles } from "~/validation/near";
import { ListLink } from "~/components/ListLink";

const PER_PAGE = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").slice(0, 100);
  const topic = TOPICS.find((t) => t.value === params.get("topic"))?.value ?? null;
  const pageParam = params.get("page") ?? "";
  const page = /^[0-9]{1,6}$/.test(pageParam) ? Number(pageParam) : 1;
  const near = await readNear(params);
  const result = await listServiceDirectory({ q, topic, near: near.place ? { place: near.place, withinMiles: near.within } : null, page, perPage: PER_PAGE });
  return json({ ...result, q, topic, near: { text: near.text, within: near.within, located: Boolean(near.place), place: near.place, error: near.error }, tiles: mapTileUrl() });
}

export const meta: MetaFunction = () => [
  { title: "Services – Roundtable" },
  { name: "description", content: "Social-prescribing services from partner organisations: walking groups, befriending, advice and more, near a postcode if you like." },
];

export default function Services() {
  const { items, total, page, totalPages, q, topic, near, tiles } = useLoaderData<typeof loader>();
  const filters: Record<string, string> = { q, topic: topic ?? "", near: near.text, within: near.text ? String(near.within) : "" };
  const filtered = Boolean(q || topic || near.text);
  const link = (p: number) => {
    const sp = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `/services?${s}` : "/services";
  };
  return (
    <Page crumbs={[{ to: "/organisations", label: "Organisations" }]} wide>
      <ErrorSummary errors={near.error ? { near: near.error } : undefined} />
      <h1>Services</h1>
      <p className="nhsuk-lede-text">What partner organisations offer people: walking groups, befriending, advice, arts and more. Give a postcode to see what is near someone.</p>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-third">
          <Form method="get" action="/services" role="search" aria-label="Find services">
            <h2 className="nhsuk-heading-s">Find services</h2>
            <NearFields near={near.text} within={near.within} error={near.error} hint="Nearest first, with the distance. For example, PR1 2HE" />
            <TextInput name="q" label="Name or organisation" type="search" defaultValue={q} />
            <Select name="topic" label="Topic" defaultValue={topic ?? ""} options={[{ value: "", label: "Any topic" }, ...TOPICS.map((t) => ({ value: t.value, label: t.label }))]} />
            <button className="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" type="submit">
              Find services
            </button>
            {filtered ? (
              <p>
                <Link to="/services">Clear filters</Link>
              </p>
            ) : null}
          </Form>
        </div>
        <div className="nhsuk-grid-column-two-thirds">
          <h2 className="rt-count nhsuk-heading-s" aria-live="polite">
            {total === 1 ? "1 service" : `${total} services`}
            {near.located ? ` within ${near.within} ${near.within === 1 ? "mile" : "miles"} of ${near.text}, nearest first` : filtered ? " match" : ""}
          </h2>
          {near.place && items.length ? (
            <MapView
              label={`Map of services near ${near.text}`}
              centre={{ ...near.place, name: near.text }}
              points={items.flatMap((s) => (s.latitude !== null && s.longitude !== null && s.miles !== null ? [{ key: String(s.id), name: s.name, url: s.url, detail: `${formatMiles(s.miles)} away`, latitude: s.latitude, longitude: s.longitude }] : []))}
              tiles={tiles}
            />
          ) : null}
          {items.length === 0 ? (
            <EmptyState title="No services match">
              <p>
                {near.located && near.within < 100 ? (
                  <>
                    Try <Link to={`/services?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), within: "100" })}`}>further away (100 miles)</Link>, fewer filters, or{" "}
                  </>
                ) : (
                  "Try fewer filters, or "
                )}
                <Link to="/services">see them all</Link>.
              </p>
            </EmptyState>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border rt-service-list">
              {items.map((s) => (
                <li key={s.id} className="rt-service">
                  <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1 rt-service__title">
                    <ListLink to={s.url}>{s.name}</ListLink>
                  </h3>
                  <p className="nhsuk-body-s rt-meta nhsuk-u-margin-bottom-1">
                    <DistanceTag miles={s.miles} online={s.online} /> {[s.organisation.name, s.place, s.online && s.miles !== null ? "Also online" : "", s.free ? "Free" : ""].filter(Boolean).join(" · ")}
                  </p>
                  <p className="nhsuk-u-margin-bottom-0">{s.summary}</p>
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
