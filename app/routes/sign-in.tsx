import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Button, ErrorSummary, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { authenticate } from "~/models/accounts.server";
import { createLoginSession, getOptionalUser } from "~/utils/auth.server";
import { flashCookie, safeRedirect } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { useResetKey } from "~/components/useResetKey";
import { keepRouteHeaders } from "~/utils/headers";

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(320, "Enter a shorter email address"),
  password: z.string().min(1, "Enter your password").max(1024, "Enter a shorter password"),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) return redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/account"));
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const values = formToObject(await request.formData());
  const parsed = parseForm(schema, values);
  if (!parsed.ok) return json({ errors: parsed.errors, values: { email: String(values.email ?? "") } }, { status: 400 });
  const result = await authenticate(parsed.data.email, parsed.data.password, request);
  if (!result.ok) {
    return json(
      { errors: { email: result.message }, values: { email: parsed.data.email } },
      { status: result.status, headers: result.retryAfter ? { "Retry-After": String(result.retryAfter) } : undefined },
    );
  }
  const redirectTo = safeRedirect(parsed.data.redirectTo, "/account");
  const headers = new Headers();
  headers.append("Set-Cookie", await createLoginSession(result.accountId, request, { mfaVerified: false }));
  if (result.needsTwoStep) {
    return redirect(`/sign-in/two-step?redirectTo=${encodeURIComponent(redirectTo)}`, { headers });
  }
  headers.append("Set-Cookie", flashCookie("You are signed in.", "info"));
  return redirect(redirectTo, { headers });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in – Roundtable" }];

export default function SignIn() {
  const data = useActionData<typeof action>();
  const resetKey = useResetKey(data);
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  return (
    <Page>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          <h1>Sign in</h1>
          <Form method="post" noValidate>
            <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
            <TextInput name="email" label="Email address" type="email" autoComplete="username" spellCheck={false} defaultValue={data?.values?.email} error={errors?.email} />
            <TextInput key={resetKey} name="password" label="Password" type="password" autoComplete="current-password" error={errors?.password} />
            <Button>{navigation.state === "submitting" ? "Signing in…" : "Sign in"}</Button>
          </Form>
          <p>
            <Link to="/forgot-password">Forgotten your password?</Link>
          </p>
          <p>
            New to Roundtable? <Link to="/sign-up">Create an account</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
