import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { acceptInvitation, getInvitation } from "~/models/networks.server";
import { getOptionalUser, requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { keepRouteHeaders } from "~/utils/headers";

const PROBLEMS = {
  invalid: "This invitation link is not right. Check you copied all of it, or ask the network admin to invite you again.",
  expired: "This invitation has expired: invitations last 14 days. Ask the network admin to invite you again.",
  used: "This invitation has already been used.",
} as const;

function wrongEmail(invited: string, signedInAs: string): string {
  return `This invitation was sent to ${invited}, but you are signed in as ${signedInAs}. Sign out, then sign in or create an account with ${invited} to accept it.`;
}

// Mail scanners open links: the GET only shows the invitation, accepting is a POST.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const invitation = await getInvitation(token);
  const user = await getOptionalUser(request);
  const headers = { "Referrer-Policy": "no-referrer" };
  if (!invitation) return json({ problem: PROBLEMS.invalid, invitation: null, signedIn: !!user, mismatch: null, here: "", token: "" }, { headers });
  const problem = invitation.used_at ? PROBLEMS.used : invitation.expires_at <= new Date().toISOString() ? PROBLEMS.expired : null;
  return json(
    {
      problem,
      invitation: problem ? null : { network: invitation.network_name, networkSlug: invitation.network_slug, role: invitation.role, email: invitation.email },
      signedIn: !!user,
      mismatch: user && !problem && user.email.toLowerCase() !== invitation.email.toLowerCase() ? wrongEmail(invitation.email, user.email) : null,
      here: new URL(request.url).pathname,
      token: problem ? "" : token,
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const token = params.token ?? "";
  const result = await acceptInvitation(user, token);
  if (result.ok) return redirectWithFlash(`/networks/${result.networkSlug}`, `Welcome to ${result.networkName}.`);
  if (result.problem === "wrong-email") {
    const invitation = await getInvitation(token);
    return json({ problem: wrongEmail(invitation?.email ?? "another address", user.email) }, { status: 403 });
  }
  return json({ problem: PROBLEMS[result.problem] }, { status: 400 });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Your invitation – Roundtable" }];

export default function InvitationPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result?.problem ?? data.problem ?? data.mismatch;
  const inv = data.invitation;
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>{inv ? `Join ${inv.network}` : "Your invitation"}</h1>
          {problem ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>{problem}</p>
            </div>
          ) : null}
          {inv ? (
            <>
              <p>
                You have been invited to join {inv.network} as {inv.role === "member" ? "a member" : `${/^[aeiou]/.test(inv.role) ? "an" : "a"} ${inv.role}`}. The invitation is for {inv.email}.
              </p>
              {!data.signedIn ? (
                <>
                  <p>Sign in with that address to accept. If you do not have an account yet, create one with that address: after you confirm it and sign in, we bring you back here.</p>
                  <p>
                    <Link className="nhsuk-button" to={`/sign-in?redirectTo=${encodeURIComponent(data.here)}`}>
                      Sign in to accept
                    </Link>
                  </p>
                  <p>
                    <Link to={`/sign-up?invitation=${encodeURIComponent(data.token)}`}>Create an account</Link>
                  </p>
                </>
              ) : data.mismatch || result?.problem ? null : (
                <Form method="post">
                  <Button>Accept the invitation</Button>
                </Form>
              )}
            </>
          ) : (
            <p>
              <Link to="/networks">See the networks</Link>
            </p>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
