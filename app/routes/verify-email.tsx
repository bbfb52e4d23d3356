import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { checkEmailToken, getAccount, normaliseEmail, verifyEmail, type TokenProblem } from "~/models/accounts.server";
import { getInvitation } from "~/models/networks.server";
import { getOptionalUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { keepRouteHeaders } from "~/utils/headers";

const PROBLEMS: Record<TokenProblem, string> = {
  invalid: "This link is not right. Check you copied all of it, or ask for a new one from your account page.",
  expired: "This link has expired. Sign in and ask for a new one from your account page.",
  used: "This link has already been used. If your address is confirmed, you can sign in.",
};

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The invitation a sign-up came from, carried in the confirmation link (only its shape is checked here). */
function invitationParam(value: unknown): string | null {
  return typeof value === "string" && TOKEN.test(value) ? value : null;
}

// Mail scanners open links: the GET only shows a button, the POST uses the token.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const check = await checkEmailToken(token, "verify-email");
  return json(
    { token: check.ok ? token : null, problem: check.ok ? null : PROBLEMS[check.problem], invitation: invitationParam(url.searchParams.get("invitation")) },
    { headers: { "Referrer-Policy": "no-referrer" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = String(form.get("token") ?? "");
  const result = await verifyEmail(token);
  if (!result.ok) return json({ problem: PROBLEMS[result.problem] }, { status: 400 });
  const user = await getOptionalUser(request);
  // Signed up from an invitation: carry on to it, but only when it is open and for this very address.
  const invitationToken = invitationParam(form.get("invitation"));
  if (invitationToken) {
    const invitation = await getInvitation(invitationToken);
    const account = await getAccount(result.accountId);
    if (invitation && account && !invitation.used_at && invitation.expires_at > new Date().toISOString() && normaliseEmail(invitation.email) === normaliseEmail(account.email)) {
      const target = `/invitations/${invitationToken}`;
      return user && user.id === account.id
        ? redirectWithFlash(target, "Your email address is confirmed.")
        : redirectWithFlash(`/sign-in?redirectTo=${encodeURIComponent(target)}`, `Your email address is confirmed. Sign in to accept your invitation to ${invitation.network_name}.`);
    }
  }
  return redirectWithFlash(user ? "/account" : "/sign-in", user ? "Your email address is confirmed." : "Your email address is confirmed. Sign in to continue.");
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Confirm your email address – Roundtable" }];

export default function VerifyEmail() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result?.problem ?? data.problem;
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>Confirm your email address</h1>
          {problem || !data.token ? (
            <>
              <p>{problem}</p>
              <p>
                <Link to={data.invitation ? `/sign-in?redirectTo=${encodeURIComponent(`/invitations/${data.invitation}`)}` : "/sign-in"}>Sign in</Link>
              </p>
            </>
          ) : (
            <Form method="post">
              <input type="hidden" name="token" value={data.token} />
              {data.invitation ? <input type="hidden" name="invitation" value={data.invitation} /> : null}
              <p>Select the button to confirm this is your email address.</p>
              <Button>Confirm my email address</Button>
            </Form>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
