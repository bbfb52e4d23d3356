import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination, PrevNextPagination } from "~/components/Pagination";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Select, TextInput } from "~/components/forms";
import { OrganisationSearch } from "~/components/OrganisationSearch";
import { listMemberNetworkOptions, matchOrganisations, searchMembers } from "~/models/organisations.server";
import { requireUser } from "~/utils/auth.server";
import { ListLink } from "~/components/ListLink";


export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const filters = {
    network: (params.get("network") ?? "").slice(0, 100),
    organisation: (params.get("organisation") ?? "").slice(0, 120),
    q: (params.get("q") ?? "").slice(0, 100),
  };
  const pageParam = params.get("page") ?? "";
  const page = /^[0-9]{1,6}$/.test(pageParam) ? Number(pageParam) : 1;
  // The organisation is typed (a slug, a name or part of one), never picked from thousands.
  const organisations = filters.organisation.trim() ? await matchOrganisations(filters.organisation) : undefined;
  if (organisations?.length === 1) filters.organisation = organisations[0].name;
  const [result, networks] = await Promise.all([
    searchMembers(user, { networkSlug: filters.network || undefined, organisationIds: organisations?.map((o) => o.id), q: filters.q, page }),
    listMemberNetworkOptions(user),
  ]);
  return json({ ...result, items: result.items.map(({ key: _key, ...m }) => m), filters, networks });
}

export const meta: MetaFunction = () => [{ title: "Member directory – Roundtable" }];

export default function Members() {
  const { items, total, more, page, totalPages, filters, networks } = useLoaderData<typeof loader>();
  const filtered = Object.values(filters).some(Boolean);
  const link = (p: number) => {
    const sp = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    if (p > 1) sp.set("page", String(p));
    const s = sp.toString();
    return s ? `/members?${s}` : "/members";
  };
  return (
    <Page crumbs={[]} wide>
      <h1>Member directory</h1>
      <p className="nhsuk-lede-text">People in your networks who have chosen to be listed. You can choose whether you appear on your <Link to="/account/profile">profile page</Link>.</p>
      {networks.length === 0 ? (
        <EmptyState title="Join a network to see its members">
          <p>
            <Link to="/networks">Find your network</Link> and ask to join.
          </p>
        </EmptyState>
      ) : (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-third">
            <Form method="get" role="search" aria-label="Filter members">
              <h2 className="nhsuk-heading-s">Filter</h2>
              <TextInput name="q" label="Name" type="search" defaultValue={filters.q} />
              <Select name="network" label="Network" defaultValue={filters.network} options={[{ value: "", label: "All my networks" }, ...networks.map((n) => ({ value: n.slug, label: n.name }))]} />
              <OrganisationSearch defaultValue={filters.organisation} suggestionsUrl="/api/organisation-suggestions" />
              <button className="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" type="submit">
                Apply filters
              </button>
              {filtered ? (
                <p>
                  <Link to="/members">Clear filters</Link>
                </p>
              ) : null}
            </Form>
          </div>
          <div className="nhsuk-grid-column-two-thirds">
            <p className="rt-count" aria-live="polite">
              {more ? `More than ${total.toLocaleString("en-GB")} members` : total === 1 ? "1 member" : `${total.toLocaleString("en-GB")} members`}
            </p>
            {items.length === 0 ? (
              <EmptyState title="No members match" />
            ) : (
              <ul className="nhsuk-list nhsuk-list--border">
                {items.map((m, i) => (
                  <li key={`${page}-${i}`}>
                    <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">{m.name}</h2>
                    <p className="nhsuk-u-margin-bottom-1">
                      {m.job_title ?? ""}
                      {m.job_title && m.organisation_name ? ", " : ""}
                      {m.organisation_slug ? <ListLink to={`/organisations/${m.organisation_slug}`}>{m.organisation_name}</ListLink> : null}
                    </p>
                    <p className="nhsuk-body-s rt-meta nhsuk-u-margin-bottom-0">{m.networks.join(", ")}</p>
                  </li>
                ))}
              </ul>
            )}
            {more ? (
              // Not every member is counted: the pages go on, numbered without a last one.
              <PrevNextPagination previous={page > 1 ? { to: link(page - 1), text: `Page ${page - 1}` } : null} next={{ to: link(page + 1), text: `Page ${page + 1}` }} />
            ) : (
              <Pagination page={page} pages={totalPages} link={link} />
            )}
          </div>
        </div>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
