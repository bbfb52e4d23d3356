import type { MetaFunction } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";

/** Any unknown address: the plain-words 404 in the normal layout. */
export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export const meta: MetaFunction = () => [{ title: "Page not found – Roundtable" }];

export default function NotFound() {
  return null;
}

export const ErrorBoundary = RouteErrorBoundary;
