import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { authenticate, deleteAccount } from "~/models/accounts.server";
import { requireUser } from "~/utils/auth.server";
import { flashCookie } from "~/utils/flash.server";
import { useResetKey } from "~/components/useResetKey";
import { keepRouteHeaders } from "~/utils/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const password = String((await request.formData()).get("password") ?? "");
  if (password === "") return json({ errors: { password: "Enter your password to confirm" } }, { status: 400 });
  const check = await authenticate(user.email, password, request);
  if (!check.ok) {
    return json(
      { errors: { password: check.status === 429 ? check.message : "Your password is not right" } },
      { status: check.status, headers: check.retryAfter ? { "Retry-After": String(check.retryAfter) } : undefined },
    );
  }
  await deleteAccount(user.id);
  const headers = new Headers();
  // The sessions are gone already; this clears the cookie in this browser.
  headers.append("Set-Cookie", `rt_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  headers.append("Set-Cookie", `__Host-rt_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`);
  headers.append("Set-Cookie", flashCookie("Your account has been deleted. Thank you for taking part.", "info"));
  return redirect("/", { headers });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Delete your account – Roundtable" }];

export default function DeleteAccount() {
  const data = useActionData<typeof action>();
  const resetKey = useResetKey(data);
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <h1>Delete your account</h1>
          <p>When you delete your account:</p>
          <ul>
            <li>you are signed out everywhere and cannot sign in again with this account;</li>
            <li>your profile, network memberships, follows, RSVPs and email subscriptions are deleted;</li>
            <li>events, resources and posts you shared stay, shown as by “Former member”, so discussions still make sense.</li>
          </ul>
          <p>
            You may want to <a href="/account/data">download your data</a> first. This cannot be undone.
          </p>
          <Form method="post" noValidate>
            <TextInput key={resetKey} name="password" label="Your password" type="password" autoComplete="current-password" error={errors?.password} />
            <Button variant="warning">Delete my account</Button>
          </Form>
          <p>
            <Link to="/account">Keep my account</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
