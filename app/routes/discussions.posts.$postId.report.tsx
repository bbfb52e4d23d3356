import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, Textarea } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { getPost, getThreadForViewer, reportPost } from "~/models/discussions.server";
import type { SessionUser } from "~/utils/auth.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { markdownToPlainText } from "~/utils/markdown.server";
import { consume } from "~/utils/rate-limit.server";
import { reportSchema } from "~/validation/discussions";

/** A post the signed-in person can see (so can report); anything else is a 404. */
async function visiblePost(user: SessionUser, postIdText: string | undefined) {
  if (!/^\d{1,12}$/.test(postIdText ?? "")) throw new Response("Not found", { status: 404 });
  const post = await getPost(Number(postIdText));
  if (!post || post.deleted_at) throw new Response("Not found", { status: 404 });
  const found = await getThreadForViewer(post.thread_id, user);
  if (!found || (post.hidden && !found.access.canModerate)) throw new Response("Not found", { status: 404 });
  return { post, thread: found.thread };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { post, thread } = await visiblePost(user, params.postId);
  return json({
    post: { id: post.id, authorName: post.author_deleted_at ? "Former member" : (post.author_name ?? "Former member"), excerpt: markdownToPlainText(post.body, 300) },
    thread: { id: thread.id, title: thread.title },
    own: post.author_account_id === user.id,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { post, thread } = await visiblePost(user, params.postId);
  const values = formToObject(await request.formData());
  const parsed = parseForm(reportSchema, { reason: "", ...values });
  if (!parsed.ok) return json({ errors: parsed.errors, values }, { status: 400 });
  const limit = await consume(`discussion-report:${user.id}`, 20, 3600);
  if (!limit.allowed) return json({ errors: { reason: "You have sent a lot of reports in the last hour. Please try again later." } as Record<string, string>, values }, { status: 429 });
  const result = await reportPost({ user, postId: post.id, reason: parsed.data.reason });
  if (result === "own-post") return json({ errors: { reason: "You cannot report your own post. You can edit or delete it instead." } as Record<string, string>, values }, { status: 400 });
  if (result === "not-found") throw new Response("Not found", { status: 404 });
  return redirectWithFlash(`/discussions/${thread.id}/posts/${post.id}`, "Thank you. A moderator will look at this post soon.");
}

export const meta: MetaFunction = () => [{ title: "Report a post – Roundtable" }];

export default function ReportPost() {
  const { post, thread, own } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Record<string, string>; values?: Record<string, string> }>();
  return (
    <Page
      crumbs={[
        { to: "/discussions", label: "Discussions" },
        { to: `/discussions/${thread.id}`, label: thread.title },
      ]}
    >
      <h1>Report a post</h1>
      <p>
        The post by {post.authorName} in <Link to={`/discussions/${thread.id}/posts/${post.id}`}>{thread.title}</Link>:
      </p>
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Reported post: </span>
        <p className="rt-break">{post.excerpt}</p>
      </div>
      {own ? (
        <p>
          This is your own post, so you cannot report it. You can <Link to={`/discussions/posts/${post.id}/edit`}>edit or delete it</Link> instead.
        </p>
      ) : (
        <Form method="post" noValidate>
          <ErrorSummary errors={actionData?.errors} />
          <Textarea
            name="reason"
            label="What is wrong with it?"
            hint="For example: it is rude, it shares someone's personal details, or it is advertising. Only moderators see your report and your name."
            defaultValue={actionData?.values?.reason}
            error={actionData?.errors?.reason}
          />
          <Button>Send report</Button>
        </Form>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
