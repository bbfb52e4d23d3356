import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { sendPasswordResetEmail } from "~/models/accounts-email.server";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { createEmailToken, EMAIL_ADDRESS_LIMIT, getAccountByEmail, limitExceeded, RESET_IP_LIMIT, tooManyMessage } from "~/models/accounts.server";
import { clientIp } from "~/utils/auth.server";
import { readSentTo, sentToCookie } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { emailField } from "~/validation/accounts";
import { keepRouteHeaders } from "~/utils/headers";

const schema = z.object({ email: emailField });

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ sentTo: new URL(request.url).searchParams.has("sent") ? readSentTo(request) : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const values = formToObject(await request.formData());
  const parsed = parseForm(schema, values);
  const typed = { email: String(values.email ?? "") };
  if (!parsed.ok) return json({ errors: parsed.errors, values: typed }, { status: 400 });
  const { email } = parsed.data;
  for (const [key, rule] of [
    [`reset:ip:${clientIp(request) ?? "unknown"}`, RESET_IP_LIMIT],
    [`reset:address:${email}`, EMAIL_ADDRESS_LIMIT],
  ] as const) {
    const wait = await limitExceeded(key, rule);
    if (wait !== null) return json({ errors: { form: tooManyMessage(wait) }, values: typed }, { status: 429, headers: { "Retry-After": String(wait) } });
  }
  const account = await getAccountByEmail(email);
  if (account) {
    const token = await createEmailToken(account.id, account.email, "reset-password");
    await sendPasswordResetEmail(account.email, account.name, token);
  }
  // The same page either way: this form never says whether an address has an account.
  return redirect("/forgot-password?sent=1", { headers: { "Set-Cookie": sentToCookie("/forgot-password", email) } });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Reset your password – Roundtable" }];

export default function ForgotPassword() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const sent = params.get("sent");
  const { sentTo } = useLoaderData<typeof loader>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {sent ? (
            <>
              <h1>Check your email</h1>
              <p>
                If {sentTo ? <strong>{sentTo}</strong> : "the address you gave"} has a Roundtable account, we have sent it a link to choose a new password. The link expires in 1 hour.
              </p>
              <p>
                <Link to="/sign-in">Back to sign in</Link>
              </p>
            </>
          ) : (
            <>
              <ErrorSummary errors={errors} order={["form", "email"]} />
              <h1>Reset your password</h1>
              <p>Enter the email address you use for Roundtable and we will send you a link to choose a new password.</p>
              <Form method="post" noValidate>
                <TextInput name="email" label="Email address" type="email" autoComplete="email" spellCheck={false} defaultValue={data?.values?.email} error={errors?.email} />
                <Button>Send the link</Button>
              </Form>
            </>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
