import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { Pagination } from "~/components/Pagination";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { searchResources, type HighlightPart, type SearchFilters } from "~/models/resource-search.server";
import { moderatedNetworkIds, readableNetworkIds } from "~/models/access.server";
import { FACETS, KIND_LABEL, type FacetName } from "~/validation/resources";
import { getOptionalUser } from "~/utils/auth.server";
import { ListLink } from "~/components/ListLink";

const PER_PAGE = 20;
const MAX_PAGE = 500;
const FACET_LABELS: Record<FacetName, string> = {
  kind: "Kind",
  topic: "Topic",
  publisher: "Publisher",
  year: "Year",
  outcome: "Outcome domain",
  network: "Network",
};

export const links: LinksFunction = () => [{ rel: "alternate", type: "application/atom+xml", title: "New resources on Roundtable", href: "/resources.atom" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").slice(0, 1000);
  const filters = Object.fromEntries(FACETS.map((f) => [f, params.getAll(f).slice(0, 30).map((v) => v.slice(0, 200))])) as SearchFilters;
  const sort = params.get("sort") === "newest" ? "newest" : "relevance";
  const pageParam = Number(params.get("page") ?? "1");
  const page = Number.isInteger(pageParam) ? Math.min(Math.max(pageParam, 1), MAX_PAGE) : 1;
  const readable = await readableNetworkIds(user);
  const result = await searchResources({ q, filters, sort, page, perPage: PER_PAGE, readableNetworkIds: readable });
  const moderates = user ? (await moderatedNetworkIds(user)).length > 0 : false;
  return json({ ...result, sort, page, perPage: PER_PAGE, filters, signedIn: !!user, moderates, anyFilter: FACETS.some((f) => filters[f].length > 0) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `${data.q.slice(0, 60)} – Search resources – Roundtable` : "Resources – Roundtable" },
  { name: "description", content: "Reports, guides, evidence reviews, videos and case studies on social prescribing, shared by network members." },
];

function Highlighted({ parts }: { parts: HighlightPart[] }) {
  return (
    <>
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export default function ResourcesIndex() {
  const data = useLoaderData<typeof loader>();
  const { q, results, total, more, facets, page, perPage, filters, sort, emptyQuery, anyFilter } = data;
  const pages = Math.min(Math.ceil(total / perPage), MAX_PAGE);
  const pageLink = (p: number) => {
    const sp = new URLSearchParams();
    if (q) sp.set("q", q);
    for (const f of FACETS) for (const v of filters[f]) sp.append(f, v);
    if (sort === "newest") sp.set("sort", "newest");
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `/resources?${s}` : "/resources";
  };
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(page * perPage, total);
  return (
    <Page>
      <h1>Resources</h1>
      <p className="nhsuk-lede-text rt-lede-list">Reports, guides, evidence reviews, videos and case studies shared by network members.</p>
      <ul className="nhsuk-list rt-inline-links">
        {data.signedIn ? (
          <>
            <li>
              <Link to="/resources/new">Add a resource</Link>
            </li>
            <li>
              <Link to="/resources/saved">My saved resources</Link>
            </li>
          </>
        ) : (
          <li>
            <Link to="/sign-in?redirectTo=%2Fresources%2Fnew">Sign in to add a resource</Link>
          </li>
        )}
        {data.moderates ? (
          <li>
            <Link to="/resources/moderation">Moderation queue</Link>
          </li>
        ) : null}
        <li>
          <a href="/resources.atom">Feed of new resources (Atom)</a>
        </li>
      </ul>

      <Form method="get" action="/resources" role="search" aria-label="Resources">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-label--s" htmlFor="q">
            Search resources
          </label>
          <div className="nhsuk-hint rt-search-tip" id="q-hint">
            Words from the title, summary, publisher or topic. Put a phrase in "double quotes".
          </div>
          <div className="rt-search-row">
            <input className="nhsuk-input" id="q" name="q" type="search" defaultValue={q} aria-describedby="q-hint" maxLength={500} autoComplete="off" />
            <button className="nhsuk-button rt-search-button" data-module="nhsuk-button" type="submit">
              Search
            </button>
          </div>
        </div>

        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-third rt-facets">
            {/* On a phone the filters fold away behind one line, so the results come first (works without JavaScript). */}
            <details className="nhsuk-details rt-filter-panel">
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">Filter and sort{anyFilter ? " (filters on)" : ""}</span>
              </summary>
              <div className="nhsuk-details__text">
                <h2 className="nhsuk-heading-s">Filter</h2>
                {FACETS.map((facet) =>
                  facets[facet].length === 0 ? null : (
                    <details className="nhsuk-details rt-facet" key={facet} open={filters[facet].length > 0 || facet === "kind"}>
                      <summary className="nhsuk-details__summary">
                        <span className="nhsuk-details__summary-text">{FACET_LABELS[facet]}</span>
                      </summary>
                      <div className="nhsuk-details__text">
                        <fieldset className="nhsuk-fieldset">
                          <legend className="nhsuk-u-visually-hidden">{FACET_LABELS[facet]}</legend>
                          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                            {facets[facet].map((v, i) => (
                              <div className="nhsuk-checkboxes__item" key={v.value}>
                                <input className="nhsuk-checkboxes__input" id={`f-${facet}-${i}`} name={facet} type="checkbox" value={v.value} defaultChecked={v.selected} />
                                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`f-${facet}-${i}`}>
                                  {v.label}
                                  {v.count === null ? null : <span className="rt-count"> ({v.count})</span>}
                                </label>
                              </div>
                            ))}
                          </div>
                        </fieldset>
                      </div>
                    </details>
                  ),
                )}
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor="sort">
                    Sort by
                  </label>
                  <select className="nhsuk-select" id="sort" name="sort" defaultValue={sort}>
                    <option value="relevance">Best match</option>
                    <option value="newest">Newest</option>
                  </select>
                </div>
                <button className="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" type="submit">
                  Apply filters
                </button>
                {anyFilter ? (
                  <p>
                    <Link to={q ? `/resources?q=${encodeURIComponent(q)}` : "/resources"}>Clear filters</Link>
                  </p>
                ) : null}
              </div>
            </details>
          </div>

          <div className="nhsuk-grid-column-two-thirds">
            <h2 className="nhsuk-heading-m" aria-live="polite">
              {total === 0
                ? "No resources found"
                : q
                  ? `${more ? `More than ${total.toLocaleString("en-GB")}` : total} ${total === 1 && !more ? "resource matches" : "resources match"} “${q.slice(0, 80)}”`
                  : `${total} ${total === 1 ? "resource" : "resources"}`}
            </h2>
            {total > 0 ? (
              <p className="nhsuk-body-s rt-meta">
                Showing {from} to {to}
                {q ? (sort === "newest" ? ", newest first" : ", best match first") : ", newest first"}
              </p>
            ) : null}
            {emptyQuery ? (
              <EmptyState title="Type some words to search for.">
                <p>Your search had no letters or numbers in it, so everything is listed below.</p>
              </EmptyState>
            ) : null}
            {total === 0 ? (
              q || anyFilter ? (
                <EmptyState title="Nothing matches your search.">
                  <ul>
                    <li>check the spelling, or try fewer or different words</li>
                    {anyFilter ? (
                      <li>
                        <Link to={q ? `/resources?q=${encodeURIComponent(q)}` : "/resources"}>remove the filters</Link>
                      </li>
                    ) : null}
                    <li>
                      <Link to="/resources">browse every resource</Link>
                    </li>
                  </ul>
                  {data.signedIn ? (
                    <p>
                      Know a good resource? <Link to="/resources/new">Add it for everyone</Link>.
                    </p>
                  ) : null}
                </EmptyState>
              ) : (
                <EmptyState title="No resources yet.">
                  <p>
                    Be the first to share a report, guide or video. <Link to="/resources/new">Add a resource</Link>
                  </p>
                </EmptyState>
              )
            ) : (
              <ul className="nhsuk-list rt-results">
                {results.map((r) => (
                  <li key={r.id} className="rt-result">
                    <h3 className="nhsuk-heading-s rt-result__title">
                      <ListLink to={`/resources/${r.id}`}>
                        <Highlighted parts={r.titleParts} />
                      </ListLink>
                    </h3>
                    <p className="nhsuk-body-s rt-meta">
                      {[KIND_LABEL[r.kind] ?? r.kind, r.publisher, r.year, r.networkName].filter(Boolean).join(" · ")}
                      {r.visibility === "members" ? (
                        <>
                          {" "}
                          <strong className="nhsuk-tag nhsuk-tag--grey">Members only</strong>
                        </>
                      ) : null}
                    </p>
                    <p className="nhsuk-body-s">
                      <Highlighted parts={r.snippetParts} />
                    </p>
                  </li>
                ))}
              </ul>
            )}
            <Pagination page={page} pages={pages} link={pageLink} />
          </div>
        </div>
      </Form>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
