import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmAction, ConfirmLink, confirmHref, useConfirming, withoutConfirm } from "~/components/ConfirmAction";
import { Button, ErrorSummary, Textarea, TextInput } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { deleteOwnPost, editPost, getPost, getThreadForViewer, pageOfSeq } from "~/models/discussions.server";
import type { SessionUser } from "~/utils/auth.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { editSchema, titleField, TITLE_MAX } from "~/validation/discussions";

/** The signed-in author's own visible post, or a 404 (someone else's post is not theirs to see here). */
async function ownPost(user: SessionUser, postIdText: string | undefined) {
  if (!/^\d{1,12}$/.test(postIdText ?? "")) throw new Response("Not found", { status: 404 });
  const post = await getPost(Number(postIdText));
  if (!post || post.author_account_id !== user.id || post.deleted_at || post.hidden) throw new Response("Not found", { status: 404 });
  const found = await getThreadForViewer(post.thread_id, user);
  if (!found) throw new Response("Not found", { status: 404 });
  return { post, thread: found.thread, canEdit: !found.thread.locked || found.access.canModerate };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { post, thread, canEdit } = await ownPost(user, params.postId);
  return json({
    post: { id: post.id, body: post.body, isOpening: post.seq === 1 },
    thread: { id: thread.id, title: thread.title },
    canEdit,
    backTo: `/discussions/${thread.id}/posts/${post.id}`,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { post, thread, canEdit } = await ownPost(user, params.postId);
  const values = formToObject(await request.formData());
  if (values.intent === "delete") {
    await deleteOwnPost({ user, postId: post.id });
    return redirectWithFlash(`/discussions/${thread.id}${pageOfSeq(post.seq) > 1 ? `?page=${pageOfSeq(post.seq)}` : ""}`, "Your post is deleted.");
  }
  if (values.intent !== "edit") throw new Response("Bad request", { status: 400 });
  if (!canEdit) return json({ errors: { body: "This discussion is closed, so posts in it can no longer be edited." } as Record<string, string>, values }, { status: 403 });
  const parsed = parseForm(editSchema, { body: "", ...values });
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
  let title: string | undefined;
  if (post.seq === 1) {
    const t = titleField.safeParse(values.title ?? "");
    if (t.success) title = t.data;
    else errors.title = t.error.issues[0]?.message ?? "Enter a title";
  }
  if (!parsed.ok || Object.keys(errors).length) return json({ errors, values }, { status: 400 });
  await editPost({ user, postId: post.id, body: parsed.data.body, title });
  return redirectWithFlash(`/discussions/${thread.id}/posts/${post.id}`, "Your post is updated.");
}

export const meta: MetaFunction = () => [{ title: "Edit your post – Roundtable" }];

export default function EditPost() {
  const { post, thread, canEdit, backTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Record<string, string>; values?: Record<string, string> }>();
  const errors = actionData?.errors;
  const values = actionData?.values;
  const { here, asking } = useConfirming("delete");
  return (
    <Page
      crumbs={[
        { to: "/discussions", label: "Discussions" },
        { to: `/discussions/${thread.id}`, label: thread.title },
      ]}
    >
      <ErrorSummary errors={errors} order={["title", "body"]} />
      <h1>Edit your post</h1>
      {canEdit ? (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="edit" />
          {post.isOpening ? <TextInput name="title" label="Title" defaultValue={values?.title ?? thread.title} error={errors?.title} maxLength={TITLE_MAX + 50} /> : null}
          <Textarea name="body" label="Your message" hint="People will see that the post was edited." defaultValue={values?.body ?? post.body} error={errors?.body} rows={10} />
          <div className="rt-button-row">
            <Button>Save changes</Button>
            <Link to={backTo} className="nhsuk-u-margin-bottom-5 rt-inline-cancel">
              Cancel
            </Link>
          </div>
        </Form>
      ) : (
        <p>This discussion is closed, so posts in it can no longer be edited.</p>
      )}
      <h2 className="nhsuk-heading-m">Delete this post</h2>
      <p>Its words will be removed for good. A note will say that a post was deleted.</p>
      {asking ? (
        <ConfirmAction level={3} heading="Delete this post?" fields={{ intent: "delete" }} confirmLabel="Yes, delete this post" backTo={withoutConfirm(here)}>
          <p>Its words are removed for good. This cannot be undone.</p>
        </ConfirmAction>
      ) : (
        <p>
          <ConfirmLink to={confirmHref(here, "delete")}>Delete this post</ConfirmLink>
        </p>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
