import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { PrevNextPagination } from "~/components/Pagination";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { ErrorSummary } from "~/components/forms";
import { searchScope } from "~/models/access.server";
import { searchMembers } from "~/models/organisations.server";
import { readNear } from "~/models/places.server";
import { DistanceTag, NearFields } from "~/components/NearFields";
import { MapView } from "~/components/MapView";
import { mapTileUrl } from "~/utils/env.server";
import { formatMiles } from "~/validation/near";
import { searchFilterOptions } from "~/models/search/filters.server";
import { siteSearch, type SiteItem } from "~/models/search/site-search.server";
import { SEARCH_GROUPS as GROUPS, type SearchGroup as Group } from "~/validation/search";
import { getOptionalUser } from "~/utils/auth.server";
import { TOPICS } from "~/utils/vocab";
import { ListLink } from "~/components/ListLink";

const KINDS = [...GROUPS, "member"] as const;
type Kind = (typeof KINDS)[number];
const LABELS: Record<Kind, { one: string; many: string }> = {
  service: { one: "service", many: "Services" },
  organisation: { one: "organisation", many: "Organisations" },
  event: { one: "event", many: "Events" },
  resource: { one: "resource", many: "Resources" },
  discussion: { one: "discussion", many: "Discussions" },
  member: { one: "member", many: "Members" },
};
const PREVIEW = 5;
const PER_PAGE = 20;

function param(sp: URLSearchParams, name: string, max = 200): string {
  return (sp.get(name) ?? "").slice(0, max).trim();
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const sp = new URL(request.url).searchParams;
  const q = (sp.get("q") ?? "").slice(0, 500);
  const kindParam = param(sp, "kind");
  const kind: Kind | null = KINDS.find((k) => k === kindParam) ?? null;
  const topic = TOPICS.find((t) => t.value === param(sp, "topic"))?.value ?? null;
  const options = await searchFilterOptions();
  const network = options.networks.find((n) => n.slug === param(sp, "network"));
  const area = options.areas.find((a) => a === param(sp, "area").toUpperCase()) ?? null;
  const pageParam = Number(sp.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam > 0 ? Math.min(pageParam, 1000) : 1;

  const nearInput = await readNear(sp);
  const near = nearInput.place;
  const within = nearInput.within;
  const errors: Record<string, string> = nearInput.error ? { near: nearInput.error } : {};

  const viewer = await searchScope(user);
  const groups: Group[] = kind && kind !== "member" ? [kind] : [];
  const result =
    kind === "member"
      ? { blank: !q.trim(), groups: [], total: 0 }
      : await siteSearch({
          q,
          groups,
          topic,
          networkId: network?.id ?? null,
          area,
          near,
          withinMiles: within,
          pages: kind ? { [kind]: page } : {},
          perPage: kind ? PER_PAGE : PREVIEW,
          viewer,
        });
  // Members are for members: the directory search, by name, with each member's own visibility choice.
  const showMembers = Boolean(user && q.trim() && (!kind || kind === "member") && !topic && !area && !near);
  const members = showMembers && user ? await searchMembers(user, { q, page: kind === "member" ? page : 1 }) : null;
  return json({
    q,
    kind,
    topic,
    network: network?.slug ?? null,
    area,
    near: nearInput.text,
    located: Boolean(near),
    place: near,
    tiles: near ? mapTileUrl() : null,
    within,
    errors,
    result,
    members: members ? { total: members.total, more: members.more, page: members.page, totalPages: members.totalPages, items: members.items.slice(0, kind === "member" ? undefined : PREVIEW) } : null,
    options: { networks: options.networks.map(({ slug, short_name }) => ({ slug, short_name })), areas: options.areas },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `${data.q.slice(0, 60)} – Search – Roundtable` : "Search – Roundtable" },
  { name: "description", content: "Search services, organisations, events, resources and discussions across Roundtable, near a postcode if you like." },
];

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** The URL of this search with some parameters changed (shareable: everything is in the query string). */
function searchUrl(d: Data, change: Record<string, string | number | null>): string {
  const sp = new URLSearchParams();
  const base: Record<string, string | number | null> = { q: d.q, kind: d.kind, topic: d.topic, network: d.network, area: d.area, near: d.near || null, within: d.near ? d.within : null };
  for (const [k, v] of Object.entries({ ...base, ...change })) if (v !== null && v !== "") sp.set(k, String(v));
  return `/search?${sp.toString()}`;
}

function Highlighted({ parts }: { parts: { text: string; hit: boolean }[] }) {
  return (
    <>
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

function Hit({ hit }: { hit: SiteItem }) {
  return (
    <li className="rt-result">
      <h3 className="nhsuk-heading-s rt-result__title">
        <ListLink to={hit.url}>
          <Highlighted parts={hit.titleParts} />
        </ListLink>
      </h3>
      <p className="nhsuk-body-s rt-meta">
        <DistanceTag miles={hit.miles} online={hit.online} />
        {hit.group === "event" && !hit.upcoming ? <strong className="nhsuk-tag nhsuk-tag--grey rt-tag">Past</strong> : null} {hit.meta.join(" · ")}
      </p>
      {hit.snippetParts.length ? (
        <p className="nhsuk-body-s">
          <Highlighted parts={hit.snippetParts} />
        </p>
      ) : null}
    </li>
  );
}

/** "1,000+" when counting stopped there. */
function countText(n: number, more: boolean): string {
  return `${n.toLocaleString("en-GB")}${more ? "+" : ""}`;
}

export default function SearchPage() {
  const d = useLoaderData<typeof loader>();
  const { result, members } = d;
  const counted: Array<{ kind: Kind; total: number; more: boolean }> = [
    ...result.groups.map((g) => ({ kind: g.group as Kind, total: g.total, more: g.more })),
    ...(members ? [{ kind: "member" as const, total: members.total, more: members.more }] : []),
  ];
  const total = counted.reduce((n, g) => n + g.total, 0);
  // A group counted only so far shows "1,000+"; so does the sum.
  const more = counted.some((g) => g.more);
  const searched = !result.blank || Boolean(members);
  const anyFilter = Boolean(d.kind || d.topic || d.network || d.area);
  return (
    <Page crumbs={[{ to: "/search", label: "Search" }]}>
      <ErrorSummary errors={d.errors} order={["near"]} />
      <h1>Search</h1>
      <Form method="get" action="/search" role="search" aria-label="Search Roundtable">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-label--s" htmlFor="q">
            What are you looking for?
          </label>
          <div className="nhsuk-hint" id="q-hint">
            For example: walking, loneliness, debt advice, dementia. Put a phrase in "double quotes".
          </div>
          <input className="nhsuk-input" id="q" name="q" type="search" defaultValue={d.q} aria-describedby="q-hint" maxLength={500} autoComplete="off" />
        </div>
        <NearFields near={d.near} within={d.within} error={d.errors.near} hint="Services, organisations and events nearest first, with the distance." />
        <details className="nhsuk-details" open={anyFilter}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Filters</span>
          </summary>
          <div className="nhsuk-details__text rt-search-filters">
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="kind">
                Show
              </label>
              <select className="nhsuk-select" id="kind" name="kind" defaultValue={d.kind ?? ""}>
                <option value="">Everything</option>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {LABELS[k].many}
                  </option>
                ))}
              </select>
            </div>
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="topic">
                Topic
              </label>
              <select className="nhsuk-select" id="topic" name="topic" defaultValue={d.topic ?? ""}>
                <option value="">Any topic</option>
                {TOPICS.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="network">
                Network
              </label>
              <select className="nhsuk-select" id="network" name="network" defaultValue={d.network ?? ""}>
                <option value="">Any network</option>
                {d.options.networks.map((n) => (
                  <option key={n.slug} value={n.slug}>
                    {n.short_name}
                  </option>
                ))}
              </select>
            </div>
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="area">
                Postcode area
              </label>
              <select className="nhsuk-select" id="area" name="area" defaultValue={d.area ?? ""}>
                <option value="">Any area</option>
                {d.options.areas.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </details>
        <button className="nhsuk-button" data-module="nhsuk-button" type="submit">
          Search
        </button>
      </Form>

      {!searched ? (
        <EmptyState title="Type what you are looking for, or a postcode.">
          <p>One search covers services, organisations, events, resources and discussions{d.errors.near ? "" : ", and members when you are signed in"}.</p>
        </EmptyState>
      ) : total === 0 ? (
        <NothingFound d={d} anyFilter={anyFilter} />
      ) : (
        <>
          <h2 className="nhsuk-heading-m" aria-live="polite">
            {countText(total, more)} {total === 1 && !more ? "result" : "results"}
            {d.q.trim() ? ` for “${d.q.slice(0, 80)}”` : ""}
            {d.located ? ` within ${d.within} ${d.within === 1 ? "mile" : "miles"} of ${d.near}` : ""}
          </h2>
          {counted.length > 1 ? (
            <nav aria-label="Results by kind">
              <ul className="nhsuk-list rt-inline-links">
                {counted.map((g) => (
                  <li key={g.kind}>{g.total ? <a href={`#${g.kind}`}>{`${LABELS[g.kind].many} (${countText(g.total, g.more)})`}</a> : `${LABELS[g.kind].many} (0)`}</li>
                ))}
              </ul>
            </nav>
          ) : null}
          {d.place ? (
            <MapView
              label={`Map of results near ${d.near}`}
              centre={{ latitude: d.place.latitude, longitude: d.place.longitude, name: d.near }}
              points={result.groups.flatMap((g) =>
                g.hits.flatMap((h) =>
                  h.latitude !== null && h.longitude !== null && h.miles !== null
                    ? [{ key: `${h.group}-${h.refId}`, name: h.title, url: h.url, detail: `${formatMiles(h.miles)} away (${LABELS[g.group].one})`, latitude: h.latitude, longitude: h.longitude }]
                    : [],
                ),
              )}
              tiles={d.tiles}
            />
          ) : null}
          {result.groups.map((g) =>
            g.total === 0 ? null : (
              <section key={g.group} aria-labelledby={`${g.group}-heading`} className="rt-result-group">
                <h2 className="nhsuk-heading-m" id={`${g.group}-heading`}>
                  <span id={g.group}>
                    {LABELS[g.group].many} ({countText(g.total, g.more)})
                  </span>
                </h2>
                <ul className="nhsuk-list rt-results">
                  {g.hits.map((h) => (
                    <Hit key={`${h.group}-${h.refId}`} hit={h} />
                  ))}
                </ul>
                {d.kind ? (
                  <PrevNextPagination
                    label={`Pages of ${LABELS[g.group].many.toLowerCase()}`}
                    previous={g.page > 1 ? { to: searchUrl(d, { page: g.page - 1 }), text: `${g.page - 1} of ${g.pageCount}` } : null}
                    next={g.page < g.pageCount ? { to: searchUrl(d, { page: g.page + 1 }), text: `${g.page + 1} of ${g.pageCount}` } : null}
                  />
                ) : g.total > g.hits.length ? (
                  <p>
                    <Link to={searchUrl(d, { kind: g.group })}>
                      See all {countText(g.total, g.more)} {LABELS[g.group].many.toLowerCase()}
                    </Link>
                  </p>
                ) : null}
              </section>
            ),
          )}
          {members && members.total > 0 ? (
            <section aria-labelledby="member-heading" className="rt-result-group">
              <h2 className="nhsuk-heading-m" id="member-heading">
                <span id="member">Members ({countText(members.total, members.more)})</span>
              </h2>
              <ul className="nhsuk-list rt-results">
                {members.items.map((m) => (
                  <li key={m.key} className="rt-result">
                    <h3 className="nhsuk-heading-s rt-result__title">{m.name}</h3>
                    <p className="nhsuk-body-s rt-meta">{[m.job_title, m.organisation_name, m.networks.join(", ")].filter(Boolean).join(" · ")}</p>
                  </li>
                ))}
              </ul>
              {d.kind !== "member" && members.total > members.items.length ? (
                <p>
                  <Link to={`/members?q=${encodeURIComponent(d.q)}`}>See all {countText(members.total, members.more)} members in the directory</Link>
                </p>
              ) : null}
              {d.kind === "member" ? (
                <PrevNextPagination
                  label="Pages of members"
                  previous={members.page > 1 ? { to: searchUrl(d, { page: members.page - 1 }), text: members.more ? `${members.page - 1}` : `${members.page - 1} of ${members.totalPages}` } : null}
                  next={members.more || members.page < members.totalPages ? { to: searchUrl(d, { page: members.page + 1 }), text: members.more ? `${members.page + 1}` : `${members.page + 1} of ${members.totalPages}` } : null}
                />
              ) : null}
            </section>
          ) : null}
        </>
      )}
    </Page>
  );
}

function NothingFound({ d, anyFilter }: { d: Data; anyFilter: boolean }) {
  return (
    <EmptyState title={d.q.trim() ? `Nothing matches “${d.q.slice(0, 80)}”${d.located ? ` within ${d.within} miles of ${d.near}` : ""}.` : "Nothing found there."}>
      <ul>
        <li>check the spelling, or try fewer or more general words (“walk” rather than “walking group Tuesday”)</li>
        <li>try a word people use for the same need: “lonely” also finds isolation and befriending, “money” finds debt and benefits</li>
        {d.located ? (
          <li>
            <Link to={searchUrl(d, { within: 50 })}>search further away (50 miles)</Link>
          </li>
        ) : null}
        {anyFilter ? (
          <li>
            <Link to={searchUrl(d, { kind: null, topic: null, network: null, area: null })}>remove the filters</Link>
          </li>
        ) : null}
      </ul>
      <p>
        Or browse <Link to="/organisations">organisations and their services</Link>, <Link to="/events">upcoming events</Link>, <Link to="/resources">resources</Link> and{" "}
        <Link to="/discussions">discussions</Link>.
      </p>
    </EmptyState>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
