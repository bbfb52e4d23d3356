import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { sendSignUpAttemptEmail, sendVerificationEmail } from "~/models/accounts-email.server";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { createAccount, createEmailToken, EMAIL_ADDRESS_LIMIT, limitExceeded, normaliseEmail, SIGNUP_IP_LIMIT, tooManyMessage } from "~/models/accounts.server";
import { getInvitation } from "~/models/networks.server";
import { clientIp, getOptionalUser } from "~/utils/auth.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/utils/password.server";
import { emailField, nameField, passwordField } from "~/validation/accounts";
import { useResetKey } from "~/components/useResetKey";
import { keepRouteHeaders } from "~/utils/headers";
import { readSentTo, sentToCookie } from "~/utils/flash.server";

const schema = z.object({ name: nameField, email: emailField, password: passwordField });

/** An open invitation (not used, not expired) from a token the page carries, or null. */
async function openInvitation(token: unknown) {
  if (typeof token !== "string" || token === "") return null;
  const invitation = await getInvitation(token);
  if (!invitation || invitation.used_at || invitation.expires_at <= new Date().toISOString()) return null;
  return { token, email: invitation.email, network: invitation.network_name };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const invitation = await openInvitation(new URL(request.url).searchParams.get("invitation"));
  if (await getOptionalUser(request)) return redirect(invitation ? `/invitations/${invitation.token}` : "/account");
  // The invitation token is in the address: keep it out of Referer headers.
  const sentTo = new URL(request.url).searchParams.has("sent") ? readSentTo(request) : null;
  return json({ passwordMin: PASSWORD_MIN_LENGTH, passwordMax: PASSWORD_MAX_LENGTH, invitation, sentTo }, { headers: invitation ? { "Referrer-Policy": "no-referrer" } : undefined });
}

export async function action({ request }: ActionFunctionArgs) {
  const values = formToObject(await request.formData());
  const kept = keepValues(values);
  const parsed = parseForm(schema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: kept }, { status: 400 });
  const { name, email, password } = parsed.data;
  const policy = checkPasswordPolicy(password, { email, name });
  if (policy) return json({ errors: { password: policy }, values: kept }, { status: 400 });
  // Signing up from an invitation: it stays bound to the invited address.
  const invitation = await openInvitation(values.invitation);
  if (invitation && normaliseEmail(email) !== normaliseEmail(invitation.email)) {
    return json(
      { errors: { email: `Your invitation to ${invitation.network} is for ${invitation.email}. Use that address to accept it` }, values: kept },
      { status: 400 },
    );
  }
  for (const [key, rule] of [
    [`signup:ip:${clientIp(request) ?? "unknown"}`, SIGNUP_IP_LIMIT],
    [`signup:address:${email}`, EMAIL_ADDRESS_LIMIT],
  ] as const) {
    const wait = await limitExceeded(key, rule);
    if (wait !== null) return json({ errors: { form: tooManyMessage(wait) }, values: kept }, { status: 429, headers: { "Retry-After": String(wait) } });
  }
  const result = await createAccount({ name, email, password });
  // The same answer whether or not the address already had an account: sign-up never says who is here.
  if (result.created) {
    const token = await createEmailToken(result.accountId, email, "verify-email");
    await sendVerificationEmail(email, name, token, invitation ? { invitationToken: invitation.token, networkName: invitation.network } : {});
  } else {
    await sendSignUpAttemptEmail(email, invitation ? { invitationToken: invitation.token, networkName: invitation.network } : {});
  }
  return redirect(`/sign-up?sent=1${invitation ? "&invited=1" : ""}`, { headers: { "Set-Cookie": sentToCookie("/sign-up", email) } });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Create an account – Roundtable" }];

export default function SignUp() {
  const data = useActionData<typeof action>();
  const resetKey = useResetKey(data);
  const { passwordMin, invitation, sentTo } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const sent = params.get("sent");
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const values: Partial<Record<string, string | string[]>> = data?.values ?? {};
  if (sent) {
    return (
      <Page>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h1>Check your email</h1>
            <p>
              We have sent a link to {sentTo ? <strong>{sentTo}</strong> : "the email address you gave"}. Open it to confirm your address, then sign in.
            </p>
            {params.get("invited") ? <p>After you confirm your address and sign in, we will take you to your invitation to accept it.</p> : null}
            <p>The link expires in 48 hours. If nothing arrives within a few minutes, check your spam folder.</p>
            <p>
              <Link to="/sign-in">Go to sign in</Link>
            </p>
          </div>
        </div>
      </Page>
    );
  }
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["form", "name", "email", "password"]} />
          <h1>Create an account</h1>
          {invitation ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                You are accepting an invitation to join {invitation.network}. Create your account with {invitation.email}, the address the invitation was sent to. After you
                confirm it and sign in, we will take you back to the invitation.
              </p>
            </div>
          ) : (
            <p>Members of regional social prescribing networks use Roundtable to share events, resources and discussions.</p>
          )}
          <Form method="post" noValidate>
            {invitation ? <input type="hidden" name="invitation" value={invitation.token} /> : null}
            <TextInput name="name" label="Full name" autoComplete="name" spellCheck={false} defaultValue={String(values.name ?? "")} error={errors?.name} />
            <TextInput
              name="email"
              label="Email address"
              hint="Use your work address: some networks let people from listed organisations in straight away."
              type="email"
              autoComplete="email"
              spellCheck={false}
              defaultValue={String(values.email ?? invitation?.email ?? "")}
              error={errors?.email}
            />
            <TextInput key={resetKey}
              name="password"
              label="Password"
              hint={`At least ${passwordMin} characters. A few unrelated words together make a strong password that is easy to remember.`}
              type="password"
              autoComplete="new-password"
              error={errors?.password}
            />
            <Button>Create account</Button>
          </Form>
          <p>
            Already have an account? <Link to={invitation ? `/sign-in?redirectTo=${encodeURIComponent(`/invitations/${invitation.token}`)}` : "/sign-in"}>Sign in</Link>
          </p>
          <p className="nhsuk-body-s">
            We use your details to run your account and your network memberships. Read our <Link to="/privacy">privacy notice</Link>.
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
