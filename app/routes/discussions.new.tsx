import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, Select, Textarea, TextInput } from "~/components/forms";
import { WhoWillSee } from "~/components/Discussions";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { createThread, getSubject, parseAbout, POST_LIMIT, postableCategories } from "~/models/discussions.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { consume } from "~/utils/rate-limit.server";
import { newThreadSchema, TITLE_MAX } from "~/validation/discussions";
import { keepRouteHeaders } from "~/utils/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const categories = await postableCategories(user);
  const about = parseAbout(url.searchParams.get("about"));
  const subject = about ? await getSubject(about, user) : undefined;
  const category = Number(url.searchParams.get("category"));
  return json({
    categories: categories.map((c) => ({ value: c.id, label: `${c.name} (${c.network_short_name}) – ${c.isPublic ? "anyone can read" : "members only"}` })),
    anyPublic: categories.some((c) => c.isPublic),
    subject: subject ? { key: `${subject.type}:${subject.id}`, title: subject.title, type: subject.type, url: subject.url } : null,
    category: categories.some((c) => c.id === category) ? category : null,
    verified: user.emailVerified,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formToObject(await request.formData());
  const parsed = parseForm(newThreadSchema, { title: "", body: "", categoryId: "", ...values });
  if (!parsed.ok) return json({ errors: parsed.errors, values }, { status: 400 });
  const categories = await postableCategories(user);
  // Only categories of networks the person belongs to: any other id reads as "not chosen".
  if (!categories.some((c) => c.id === parsed.data.categoryId)) return json({ errors: { categoryId: "Choose a category" } as Record<string, string>, values }, { status: 400 });
  const about = parseAbout(parsed.data.about);
  const subject = about ? await getSubject(about, user) : undefined;
  const limit = await consume(`discussion-post:${user.id}`, POST_LIMIT.count, POST_LIMIT.windowSeconds);
  if (!limit.allowed) {
    const minutes = Math.ceil(limit.retryAfterSeconds / 60);
    return json(
      { errors: { body: `You have posted a lot in the last few minutes. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again: your discussion is kept below.` } as Record<string, string>, values },
      { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
  const { threadId } = await createThread({
    user,
    categoryId: parsed.data.categoryId,
    title: parsed.data.title,
    body: parsed.data.body,
    subject: subject ? { type: subject.type, id: subject.id } : null,
  });
  return redirectWithFlash(`/discussions/${threadId}`, "Your discussion has started. We will tell you when people reply.");
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "Start a discussion – Roundtable" }];

export default function NewThread() {
  const { categories, subject, category, verified, anyPublic } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Record<string, string>; values?: Record<string, string> }>();
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <Page crumbs={[{ to: "/discussions", label: "Discussions" }]}>
      <ErrorSummary errors={errors} order={["categoryId", "title", "body"]} />
      <h1>Start a discussion</h1>
      {categories.length === 0 ? (
        <EmptyState title={verified ? "Join a network to start a discussion." : "Confirm your email address to start a discussion."}>
          <p>{verified ? <Link to="/networks">See the networks and ask to join</Link> : "Use the link we emailed you, or send a new one from your account page."}</p>
        </EmptyState>
      ) : (
        <Form method="post" noValidate>
          {subject ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                About the {subject.type} <Link to={subject.url}>{subject.title}</Link>: the discussion will also show on its page.
              </p>
              <input type="hidden" name="about" value={subject.key} />
            </div>
          ) : null}
          <WhoWillSee isPublic={anyPublic} />
          <Select
            name="categoryId"
            label="Category"
            hint="Each category says who can read it."
            options={[{ value: "", label: "Choose a category" }, ...categories]}
            defaultValue={values?.categoryId ?? category ?? ""}
            error={errors?.categoryId}
          />
          <TextInput name="title" label="Title" hint="A short question or topic, in plain words." defaultValue={values?.title} error={errors?.title} maxLength={TITLE_MAX + 50} />
          <Textarea
            name="body"
            label="Your message"
            hint="You can use Markdown: **bold**, *italic*, lists and links. Mention someone with @ and their handle."
            defaultValue={values?.body}
            error={errors?.body}
            rows={10}
          />
          <Button>Start the discussion</Button>
        </Form>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
