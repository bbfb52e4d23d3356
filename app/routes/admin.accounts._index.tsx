import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, TextInput } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { searchAccounts } from "~/models/admin.server";
import { requirePlatformAdmin } from "~/utils/auth.server";
import { pageParam } from "~/utils/paging";
import { cleanSingleLine } from "~/utils/text";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const url = new URL(request.url);
  const q = cleanSingleLine(url.searchParams.get("q") ?? "", 200);
  const result = await searchAccounts({ q, page: pageParam(url.searchParams.get("page")) });
  return json({ q, ...result });
}

export const meta: MetaFunction = () => [{ title: "Accounts – Platform admin – Roundtable" }];

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "Europe/London" });

export default function AdminAccounts() {
  const { q, items, total, page, pages } = useLoaderData<typeof loader>();
  const link = (p: number) => `/admin/accounts?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <Page crumbs={[{ to: "/admin", label: "Platform admin" }]}>
      <h1>Accounts</h1>
      <Form method="get" role="search" aria-label="Find an account">
        <TextInput name="q" type="search" label="Search by email address or name" defaultValue={q} spellCheck={false} width={30} />
        <Button variant="secondary">Search</Button>
      </Form>
      <p className="nhsuk-body-s" role="status">
        {total === 0 ? "No accounts found" : `${total.toLocaleString("en-GB")} account${total === 1 ? "" : "s"}${q ? ` matching “${q}”` : ""}`}
        {pages > 1 ? ` · page ${page} of ${pages}` : ""}
      </p>
      {items.length === 0 ? (
        <EmptyState title="No accounts match">
          <p>Check the spelling, or search for part of the address.</p>
        </EmptyState>
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {items.map((a) => (
            <li key={a.id}>
              <Link to={`/admin/accounts/${a.id}`}>{a.name}</Link>
              <br />
              <span className="nhsuk-body-s rt-meta rt-break">
                {a.email} · joined {dateFormat.format(new Date(a.created_at))} · two-step {a.hasTotp ? "on" : "off"}
                {a.email_verified_at ? "" : " · address not confirmed"}
                {a.is_platform_admin ? " · platform admin" : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} link={link} />
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
