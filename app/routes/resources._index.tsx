import type { MetaFunction } from "@remix-run/node";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Resources – Roundtable" }];

export default function ResourcesIndex() {
  return (
    <Page crumbs={[]}>
      <h1>Resources</h1>
      <EmptyState title="Nothing here yet.">
        <p>Reports, guides, evidence reviews and videos shared by members will be listed here.</p>
      </EmptyState>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
