import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { checkConfirmToken, confirmSubscription, getSubscription, manageTokenFor, type ConfirmState } from "~/models/digests.server";

/**
 * Double opt-in. GET only shows a button (mail scanners fetch links; a fetch must not subscribe
 * anyone); POST uses the single-use, 48-hour link and records the consent.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const state = await checkConfirmToken(token);
  return json({ state, token: state === "valid" ? token : "" }, { status: state === "valid" ? 200 : state === "invalid" ? 404 : 410 });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = String(form.get("token") ?? "");
  const result = await confirmSubscription(token);
  if (result.state !== "valid" || !result.subscriptionId) {
    return json({ state: result.state, manageToken: null }, { status: result.state === "invalid" ? 404 : 410 });
  }
  const sub = await getSubscription(result.subscriptionId);
  return json({ state: "confirmed" as const, manageToken: sub ? await manageTokenFor(sub) : null });
}

export const meta: MetaFunction = () => [{ title: "Confirm your digest – Roundtable" }];

const PROBLEMS: Record<Exclude<ConfirmState, "valid">, { title: string; body: string }> = {
  invalid: { title: "This link is not valid", body: "Check that you copied the whole link from the email, or ask for a new one." },
  expired: { title: "This link has expired", body: "Confirmation links work for 48 hours. Ask for a new one and use it within two days." },
  used: { title: "This link has already been used", body: "Your digest was confirmed with it. Each confirmation link works once. If you still get nothing, ask for a new link." },
};

export default function ConfirmDigest() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const crumbs = [{ to: "/digest", label: "Email digest" }];
  if (actionData?.state === "confirmed") {
    return (
      <Page crumbs={crumbs}>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h1>Your digest is confirmed</h1>
            <p>Thank you. Your first digest will arrive with the next round of sending, if there is anything new for you.</p>
            <p>Every digest has links to change how often it comes, what it covers, or to stop it.</p>
            {actionData.manageToken ? (
              <p>
                <Link to={`/digest/manage?token=${encodeURIComponent(actionData.manageToken)}`}>Change what your digest covers</Link>
              </p>
            ) : null}
          </div>
        </div>
      </Page>
    );
  }
  const state = actionData?.state ?? loaderData.state;
  if (state !== "valid") {
    const problem = PROBLEMS[state];
    return (
      <Page crumbs={crumbs}>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h1>{problem.title}</h1>
            <p>{problem.body}</p>
            <p>
              <Link to="/digest">Ask for a new confirmation link</Link>
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
          <h1>Confirm your digest</h1>
          <p>Press the button to start receiving the Roundtable digest at this address.</p>
          <Form method="post">
            <input type="hidden" name="token" value={loaderData.token} />
            <Button>Confirm my digest</Button>
          </Form>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
