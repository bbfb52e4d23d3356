import { isRouteErrorResponse } from "@remix-run/react";

/** Plain words for every error; the details stay in the server log. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <>
        <h1>Page not found</h1>
        <p>If you typed the web address, check it is correct.</p>
        <p>If you pasted the web address, check you copied the entire address.</p>
        <p>
          It may also be a members-only page of a network you are not in. <a href="/networks">See the networks</a> or{" "}
          <a href="/">go to the home page</a>.
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 429) {
    return (
      <>
        <h1>Too many attempts</h1>
        <p>{typeof error.data === "string" && error.data ? error.data : "Please wait a few minutes and try again."}</p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status < 500) {
    return (
      <>
        <h1>Sorry, we could not do that</h1>
        <p>{typeof error.data === "string" && error.data.length < 300 ? error.data : "The request was not valid."}</p>
        <p>
          <a href="/">Go to the home page</a>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Sorry, there is a problem with the service</h1>
      <p>Try again later. Anything you submitted may not have been saved.</p>
      <p>
        If it keeps happening, <a href="/contact">contact us</a>.
      </p>
    </>
  );
}
