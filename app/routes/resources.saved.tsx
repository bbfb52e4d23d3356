import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listSavedResources } from "~/models/resources.server";
import { KIND_LABEL } from "~/validation/resources";
import { requireUser } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ saved: await listSavedResources(user) });
}

export const meta: MetaFunction = () => [{ title: "My saved resources – Roundtable" }];

export default function SavedResources() {
  const { saved } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/resources", label: "Resources" }]}>
      <h1>My saved resources</h1>
      {saved.length === 0 ? (
        <EmptyState title="You have not saved any resources yet.">
          <p>
            Use “Save for later” on any resource to keep it here. <Link to="/resources">Find resources</Link>
          </p>
        </EmptyState>
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {saved.map((r) => (
            <li key={r.id}>
              <Link to={`/resources/${r.id}`}>{r.title}</Link>
              <p className="nhsuk-body-s rt-meta">{[KIND_LABEL[r.kind] ?? r.kind, r.publisher, r.year, r.network_name].filter(Boolean).join(" · ")}</p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
