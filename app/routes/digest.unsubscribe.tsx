import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { subscriptionFromToken, unsubscribe } from "~/models/digests.server";

/**
 * Leaving the digest.
 * GET (a person clicking, or a mail scanner prefetching) only shows a button: nothing changes.
 * POST unsubscribes. It is also RFC 8058 one-click: mail providers POST `List-Unsubscribe=One-Click`
 * to the URL from the List-Unsubscribe header, with no cookies and no Origin header; the token in
 * the URL is all that is needed. Idempotent: 200 again when already unsubscribed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const sub = await subscriptionFromToken(token);
  if (!sub) return json({ valid: false as const, token: "", email: "", already: false }, { status: 404 });
  return json({ valid: true as const, token, email: sub.email, already: sub.status === "unsubscribed" });
}

export async function action({ request }: ActionFunctionArgs) {
  // One-click senders vary in how they encode the body; the token in the URL is what counts.
  const form = await request.formData().catch(() => new FormData());
  const token = new URL(request.url).searchParams.get("token") ?? String(form.get("token") ?? "");
  const sub = await subscriptionFromToken(token);
  if (!sub) return json({ done: false as const, manageToken: "" }, { status: 404 });
  await unsubscribe(sub.id);
  return json({ done: true as const, manageToken: token });
}

export const meta: MetaFunction = () => [{ title: "Unsubscribe from the digest – Roundtable" }, { name: "robots", content: "noindex" }];

export default function Unsubscribe() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const crumbs = [{ to: "/digest", label: "Email digest" }];
  if (result?.done) {
    return (
      <Page crumbs={crumbs}>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h1>You have unsubscribed</h1>
            <p>You will not get the Roundtable digest any more. Nothing else needs doing.</p>
            <p>
              Changed your mind? <Link to={`/digest/manage?token=${encodeURIComponent(result.manageToken)}`}>Start the digest again</Link>
            </p>
          </div>
        </div>
      </Page>
    );
  }
  if (!data.valid || result) {
    return (
      <Page crumbs={crumbs}>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h1>This unsubscribe link is not valid</h1>
            <p>Check that you copied the whole link from the email. Every digest has its own working link at the bottom.</p>
            <p>If you have a Roundtable account you can also stop the digest from your account.</p>
            <p>
              <Link to="/account/digest">Digest settings on your account</Link>
            </p>
          </div>
        </div>
      </Page>
    );
  }
  return (
    <Page crumbs={crumbs}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>Unsubscribe from the digest</h1>
          {data.already ? (
            <p>
              <strong>{data.email}</strong> is already unsubscribed. You will not get the digest.
            </p>
          ) : (
            <p>
              Stop sending the Roundtable digest to <strong>{data.email}</strong>?
            </p>
          )}
          {data.already ? null : (
            <Form method="post">
              <input type="hidden" name="token" value={data.token} />
              <Button variant="warning">Unsubscribe</Button>
            </Form>
          )}
          <p>
            Rather get it less often, or about fewer things? <Link to={`/digest/manage?token=${encodeURIComponent(data.token)}`}>Change your digest instead</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
