import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { checkEmailToken, getAccount, resetPassword, type TokenProblem } from "~/models/accounts.server";
import { logout } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from "~/utils/password.server";
import { useResetKey } from "~/components/useResetKey";
import { keepRouteHeaders } from "~/utils/headers";

const PROBLEMS: Record<TokenProblem, string> = {
  invalid: "This link is not right. Check you copied all of it, or ask for a new one.",
  expired: "This link has expired: reset links last 1 hour. Ask for a new one.",
  used: "This link has already been used. Ask for a new one if you still need to reset your password.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkEmailToken(token, "reset-password");
  return json({ token: check.ok ? token : null, problem: check.ok ? null : PROBLEMS[check.problem], passwordMin: PASSWORD_MIN_LENGTH }, { headers: { "Referrer-Policy": "no-referrer" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = String(form.get("token") ?? "");
  const password = String(form.get("password") ?? "");
  const check = await checkEmailToken(token, "reset-password");
  if (!check.ok) return json({ errors: { form: PROBLEMS[check.problem] } }, { status: 400 });
  const account = await getAccount(check.accountId);
  const policy = password === "" ? "Enter a new password" : checkPasswordPolicy(password, { email: check.email, name: account?.name });
  if (policy) return json({ errors: { password: policy } }, { status: 400 });
  const result = await resetPassword(token, password);
  if (!result.ok) return json({ errors: { form: PROBLEMS[result.problem] } }, { status: 400 });
  // Every session of the account has ended; clear this browser's cookie too.
  return redirectWithFlash("/sign-in", "Your password has been changed. Sign in with your new password.", { headers: { "Set-Cookie": await logout(request) } });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Choose a new password – Roundtable" }];

export default function ResetPassword() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const errors: Partial<Record<string, string>> | undefined = result?.errors;
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {data.problem || !data.token ? (
            <>
              <h1>Choose a new password</h1>
              <p>{data.problem}</p>
              <p>
                <Link to="/forgot-password">Ask for a new link</Link>
              </p>
            </>
          ) : (
            <>
              <ErrorSummary errors={errors} order={["form", "password"]} />
              <h1>Choose a new password</h1>
              <p>You will be signed out everywhere and can sign in with the new password.</p>
              <Form method="post" noValidate>
                <input type="hidden" name="token" value={data.token} />
                <TextInput key={resetKey}
                  name="password"
                  label="New password"
                  hint={`At least ${data.passwordMin} characters. A few unrelated words together make a strong password.`}
                  type="password"
                  autoComplete="new-password"
                  error={errors?.password}
                />
                <Button>Change password</Button>
              </Form>
            </>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
