import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { checkSecondStep } from "~/models/accounts.server";
import { createLoginSession, getAuth } from "~/utils/auth.server";
import { flashCookie, safeRedirect } from "~/utils/flash.server";
import { keepRouteHeaders } from "~/utils/headers";

/** Only a session that passed the password but not yet the second step belongs here. */
async function pendingAuth(request: Request) {
  const auth = await getAuth(request);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/account");
  if (!auth) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`);
  if (!auth.user.hasTotp || auth.mfaVerified) throw redirect(redirectTo);
  return { auth, redirectTo };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await pendingAuth(request);
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const { auth } = await pendingAuth(request);
  const form = await request.formData();
  const code = String(form.get("code") ?? "").slice(0, 64);
  const redirectTo = safeRedirect(form.get("redirectTo"), "/account");
  if (code.trim() === "") return json({ errors: { code: "Enter the 6-digit code from your authenticator app" } }, { status: 400 });
  const result = await checkSecondStep(auth.user.id, code);
  if (!result.ok) {
    return json(
      { errors: { code: result.message } },
      { status: result.status, headers: result.retryAfter ? { "Retry-After": String(result.retryAfter) } : undefined },
    );
  }
  // A new session id at the moment rights increase, as at sign-in.
  const headers = new Headers();
  headers.append("Set-Cookie", await createLoginSession(auth.user.id, request, { mfaVerified: true }));
  headers.append(
    "Set-Cookie",
    flashCookie(result.usedRecoveryCode ? "You are signed in. That recovery code cannot be used again: make new ones on your account page if you are running low." : "You are signed in.", "info"),
  );
  return redirect(redirectTo, { headers });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Enter your security code – Roundtable" }];

export default function TwoStep() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <h1>Enter your security code</h1>
          <p>Open your authenticator app and enter the 6-digit code it shows for Roundtable.</p>
          <Form method="post" noValidate>
            <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
            <TextInput
              name="code"
              label="Security code"
              hint="If you cannot use your app, enter one of your recovery codes instead, like abcde-12345."
              autoComplete="one-time-code"
              inputMode="text"
              spellCheck={false}
              width={10}
              error={errors?.code}
            />
            <Button>Continue</Button>
          </Form>
          <p>
            Lost your phone and your recovery codes? Ask a platform admin to reset two-step verification, or{" "}
            <Link to="/sign-in">sign in with another account</Link>.
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
