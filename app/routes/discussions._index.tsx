import type { MetaFunction } from "@remix-run/node";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Discussions – Roundtable" }];

export default function DiscussionsIndex() {
  return (
    <Page crumbs={[]}>
      <h1>Discussions</h1>
      <EmptyState title="Nothing here yet.">
        <p>Network discussions will be listed here.</p>
      </EmptyState>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
