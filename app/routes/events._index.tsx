import type { MetaFunction } from "@remix-run/node";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Events – Roundtable" }];

export default function EventsIndex() {
  return (
    <Page crumbs={[]}>
      <h1>Events</h1>
      <EmptyState title="Nothing here yet.">
        <p>Round tables, conferences and the weekly Social Prescribing Hour will be listed here.</p>
      </EmptyState>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
