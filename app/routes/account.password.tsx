import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { sendPasswordChangedEmail } from "~/models/accounts-email.server";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { authenticate, setPassword } from "~/models/accounts.server";
import { endOtherSessions, requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { checkPasswordPolicy } from "~/utils/password.server";
import { useResetKey } from "~/components/useResetKey";
import { keepRouteHeaders } from "~/utils/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const current = String(form.get("currentPassword") ?? "");
  const next = String(form.get("newPassword") ?? "");
  if (current === "") return json({ errors: { currentPassword: "Enter your current password" } }, { status: 400 });
  // The same check (and failure limit) as signing in, so this form cannot be used to guess passwords.
  const check = await authenticate(user.email, current, request);
  if (!check.ok) {
    return json(
      { errors: { currentPassword: check.status === 429 ? check.message : "Your current password is not right" } },
      { status: check.status, headers: check.retryAfter ? { "Retry-After": String(check.retryAfter) } : undefined },
    );
  }
  const policy = next === "" ? "Enter a new password" : checkPasswordPolicy(next, { email: user.email, name: user.name });
  if (policy) return json({ errors: { newPassword: policy } }, { status: 400 });
  await setPassword(user.id, next);
  await endOtherSessions(user.id, request);
  await sendPasswordChangedEmail(user.email, user.name);
  return redirectWithFlash("/account", "Your password is changed. You have been signed out on every other device.");
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Change your password – Roundtable" }];

export default function ChangePassword() {
  const data = useActionData<typeof action>();
  const resetKey = useResetKey(data);
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={["currentPassword", "newPassword"]} />
          <h1>Change your password</h1>
          <p>You will stay signed in here and be signed out on every other device.</p>
          <Form method="post" noValidate>
            <TextInput key={resetKey} name="currentPassword" label="Current password" type="password" autoComplete="current-password" error={errors?.currentPassword} />
            <TextInput key={`${resetKey}-new`} name="newPassword" label="New password" hint="At least 8 characters. A few unrelated words together make a strong password." type="password" autoComplete="new-password" error={errors?.newPassword} />
            <Button>Change password</Button>
          </Form>
          <p>
            <Link to="/forgot-password">Forgotten your current password?</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
