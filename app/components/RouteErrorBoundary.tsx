import { useRouteError } from "@remix-run/react";
import { ErrorMessage } from "./ErrorMessage";
import { Page } from "./Page";

/** Every UI route's ErrorBoundary: plain words inside the normal layout. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  return (
    <Page>
      <ErrorMessage error={error} />
    </Page>
  );
}
