import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { formatDateTime, NumberedPagination, WhoWillSee } from "~/components/Discussions";
import { Button, ErrorSummary, Select } from "~/components/forms";
import { ListLink } from "~/components/ListLink";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import {
  createReply,
  getLastReadSeq,
  getSubject,
  getThreadForViewer,
  isFollowingThread,
  listNetworkCategories,
  listThreadPosts,
  markThreadRead,
  mentionableMembers,
  moderate,
  pageOfSeq,
  POST_LIMIT,
  quoteFor,
  setThreadFollow,
  type ModerationAction,
} from "~/models/discussions.server";
import { markReadByUrlPrefix } from "~/models/notifications.server";
import { getOptionalUser, requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, parseForm } from "~/utils/forms";
import { renderMarkdown } from "~/utils/markdown.server";
import { consume } from "~/utils/rate-limit.server";
import { BODY_MAX, replySchema } from "~/validation/discussions";
import { keepRouteHeaders } from "~/utils/headers";

function threadId(params: { id?: string }): number {
  const id = Number(params.id);
  if (!/^\d{1,12}$/.test(params.id ?? "") || !Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return id;
}

function pageParam(value: string | null): number {
  return value && /^\d{1,7}$/.test(value) ? Math.max(1, Number(value)) : 1;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = threadId(params);
  const user = await getOptionalUser(request);
  const found = await getThreadForViewer(id, user);
  if (!found) throw new Response("Not found", { status: 404 });
  const { thread, access, canReply } = found;
  const url = new URL(request.url);
  const pageCount = pageOfSeq(thread.last_seq);
  const page = Math.min(pageParam(url.searchParams.get("page")), pageCount);
  const posts = await listThreadPosts({ threadId: id, page, includeHidden: access.canModerate });
  const quoteId = url.searchParams.get("quote");
  const quote = canReply && quoteId && /^\d{1,12}$/.test(quoteId) ? await quoteFor(id, Number(quoteId), access.canModerate) : undefined;
  const lastRead = user ? await getLastReadSeq(user.id, id) : null;
  if (user && posts.length) {
    const seen = posts[posts.length - 1].seq;
    if (lastRead === null || lastRead < seen) await markThreadRead(user.id, id, seen);
    await markReadByUrlPrefix({ accountId: user.id, prefix: `/discussions/${id}` });
  }
  const [subject, following, mentionable, categories] = await Promise.all([
    thread.subject_type && thread.subject_id ? getSubject({ type: thread.subject_type, id: thread.subject_id }, user) : Promise.resolve(undefined),
    user ? isFollowingThread(user.id, id) : Promise.resolve(false),
    canReply ? mentionableMembers(thread.network_id, id) : Promise.resolve({ scope: "network" as const, members: [] }),
    access.canModerate ? listNetworkCategories(thread.network_id) : Promise.resolve([]),
  ]);
  return json({
    thread: {
      id: thread.id,
      title: thread.title,
      categoryId: thread.category_id,
      categoryName: thread.category_name,
      networkName: thread.network_name,
      pinned: thread.pinned,
      locked: thread.locked,
      hidden: thread.hidden,
      replyCount: thread.reply_count,
    },
    subject: subject ? { title: subject.title, url: subject.url, type: subject.type } : null,
    posts: posts.map((p) => ({
      id: p.id,
      seq: p.seq,
      html: p.deleted ? "" : renderMarkdown(p.body),
      createdAt: p.createdAt,
      editedAt: p.editedAt,
      hidden: p.hidden,
      deleted: p.deleted,
      authorName: p.authorName,
      authorRole: [p.authorJobTitle, p.authorOrganisation].filter(Boolean).join(", "),
      mine: Boolean(user && p.authorId === user.id),
      isNew: lastRead !== null && p.seq > lastRead,
    })),
    page,
    pageCount,
    quote: quote ?? "",
    viewer: {
      signedIn: Boolean(user),
      canReply,
      canModerate: access.canModerate,
      isPublic: access.isPublic,
      isMember: access.role !== null,
      verified: user?.emailVerified ?? false,
      following,
    },
    members: mentionable.members,
    mentionScope: mentionable.scope,
    categories: categories.filter((c) => c.id !== thread.category_id),
  });
}

const MODERATION_INTENTS = ["lock", "unlock", "pin", "unpin", "hide-thread", "restore-thread", "move", "hide-post", "restore-post"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const id = threadId(params);
  const user = await requireUser(request);
  const found = await getThreadForViewer(id, user);
  if (!found) throw new Response("Not found", { status: 404 });
  const values = formToObject(await request.formData());
  const intent = String(values.intent ?? "");
  const here = `/discussions/${id}`;

  if (intent === "reply") {
    if (!found.canReply) {
      const why = found.thread.locked ? "This discussion is closed to new replies." : "Only members of this network can reply. Join the network first.";
      return json({ errors: { body: why } as Record<string, string>, values }, { status: 403 });
    }
    const parsed = parseForm(replySchema, { body: "", ...values });
    if (!parsed.ok) return json({ errors: parsed.errors, values }, { status: 400 });
    const limit = await consume(`discussion-post:${user.id}`, POST_LIMIT.count, POST_LIMIT.windowSeconds);
    if (!limit.allowed) {
      const minutes = Math.ceil(limit.retryAfterSeconds / 60);
      return json(
        { errors: { body: `You have posted a lot in the last few minutes. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and send your reply again: it is kept below.` } as Record<string, string>, values },
        { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
      );
    }
    const { postId, seq } = await createReply({ user, threadId: id, body: parsed.data.body });
    return redirectWithFlash(`${here}?page=${pageOfSeq(seq)}#post-${postId}`, "Your reply is posted.");
  }

  if (intent === "follow" || intent === "unfollow") {
    await setThreadFollow(user.id, id, intent === "follow");
    return redirectWithFlash(here, intent === "follow" ? "You are following this discussion: we will tell you about new replies." : "You no longer follow this discussion.");
  }

  if ((MODERATION_INTENTS as readonly string[]).includes(intent)) {
    if (!found.access.canModerate) throw new Response("Not found", { status: 404 });
    let act: ModerationAction;
    if (intent === "hide-post" || intent === "restore-post") {
      const postId = Number(values.postId);
      if (!Number.isSafeInteger(postId)) throw new Response("Bad request", { status: 400 });
      act = { kind: intent, postId };
    } else if (intent === "move") {
      const categoryId = Number(values.categoryId);
      if (!Number.isSafeInteger(categoryId)) return json({ errors: { categoryId: "Choose a category" } as Record<string, string>, values }, { status: 400 });
      act = { kind: "move", threadId: id, categoryId };
    } else {
      act = { kind: intent as Exclude<(typeof MODERATION_INTENTS)[number], "move" | "hide-post" | "restore-post">, threadId: id };
    }
    const result = await moderate(user, act);
    if (!result.ok) throw new Response("Not found", { status: 404 });
    return redirectWithFlash(here, result.message);
  }

  throw new Response("Bad request", { status: 400 });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.thread.title}${data.page > 1 ? ` (page ${data.page})` : ""} – Discussions – Roundtable` : "Discussion – Roundtable" },
];

function MentionPicker({ members, targetId }: { members: Array<{ handle: string; name: string }>; targetId: string }) {
  // Progressive enhancement: without JavaScript the list of handles below is enough to type one.
  const [hydrated, setHydrated] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => setHydrated(true), []);
  if (!hydrated || members.length === 0) return null;
  const insert = () => {
    const handle = select.current?.value;
    const box = document.getElementById(targetId);
    if (!handle || !(box instanceof HTMLTextAreaElement)) return;
    const at = box.selectionStart ?? box.value.length;
    const before = box.value.slice(0, at);
    const text = `${before && !/\s$/.test(before) ? " " : ""}@${handle} `;
    box.setRangeText(text, at, box.selectionEnd ?? at, "end");
    box.focus();
  };
  return (
    <div className="rt-inline-form nhsuk-u-margin-bottom-4">
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="mention-picker">
          Mention someone
        </label>
        <select className="nhsuk-select" id="mention-picker" ref={select}>
          {members.map((m) => (
            <option key={m.handle} value={m.handle}>
              {m.name} (@{m.handle})
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" onClick={insert}>
        Add mention
      </button>
    </div>
  );
}

export default function ThreadPage() {
  const { thread, subject, posts, page, pageCount, quote, viewer, members, mentionScope, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Record<string, string>; values?: Record<string, string> }>();
  const errors = actionData?.errors;
  const typed = actionData?.values?.body;
  const here = `/discussions/${thread.id}`;
  const pageLink = (p: number) => (p === 1 ? here : `${here}?page=${p}`);
  return (
    <Page
      crumbs={[
        { to: "/discussions", label: "Discussions" },
        { to: `/discussions/c/${thread.categoryId}`, label: thread.categoryName },
      ]}
    >
      <h1 className="rt-break">{thread.title}</h1>
      <p className="nhsuk-body-s">
        In <Link to={`/discussions/c/${thread.categoryId}`}>{thread.categoryName}</Link> ({thread.networkName}) · {thread.replyCount} {thread.replyCount === 1 ? "reply" : "replies"}
        {thread.pinned ? <strong className="nhsuk-tag nhsuk-tag--white rt-tag-inline">Pinned</strong> : null}
        {thread.locked ? <strong className="nhsuk-tag nhsuk-tag--grey rt-tag-inline">Closed</strong> : null}
        {thread.hidden ? <strong className="nhsuk-tag nhsuk-tag--red rt-tag-inline">Hidden</strong> : null}
      </p>
      {subject ? (
        <p>
          About the {subject.type}: <Link to={subject.url}>{subject.title}</Link>
        </p>
      ) : null}
      {viewer.signedIn ? (
        <Form method="post" className="nhsuk-u-margin-bottom-4">
          <input type="hidden" name="intent" value={viewer.following ? "unfollow" : "follow"} />
          <Button variant="secondary">{viewer.following ? "Stop following" : "Follow this discussion"}</Button>
        </Form>
      ) : null}

      <NumberedPagination page={page} pages={pageCount} link={pageLink} label="Pages of this discussion (top)" />

      <ol className="nhsuk-list rt-posts" aria-label="Posts">
        {posts.map((p) => (
          <li key={p.id}>
            <article id={`post-${p.id}`} className={`rt-post${p.hidden ? " rt-post--hidden" : ""}`} aria-labelledby={`post-${p.id}-by`}>
              <header className="rt-post__header">
                <h2 className="nhsuk-heading-xs nhsuk-u-margin-bottom-0" id={`post-${p.id}-by`}>
                  {p.deleted ? "Deleted post" : p.authorName}
                  {p.isNew ? <strong className="nhsuk-tag nhsuk-tag--blue rt-tag-inline">New</strong> : null}
                  {p.hidden ? <strong className="nhsuk-tag nhsuk-tag--red rt-tag-inline">Hidden by a moderator</strong> : null}
                </h2>
                {!p.deleted && p.authorRole ? <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{p.authorRole}</p> : null}
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0 rt-post__meta">
                  <ListLink to={`${here}/posts/${p.id}`}>
                    <time dateTime={p.createdAt}>{formatDateTime(p.createdAt)}</time>
                    <span className="nhsuk-u-visually-hidden"> (link to this post)</span>
                  </ListLink>
                  {p.editedAt && !p.deleted ? <span> · edited</span> : null}
                </p>
              </header>
              {p.deleted ? <p className="rt-post__deleted">This post was deleted by its author.</p> : <div className="rt-post__body rt-break" dangerouslySetInnerHTML={{ __html: p.html }} />}
              {!p.deleted ? (
                <ul className="rt-inline-links nhsuk-list nhsuk-body-s rt-post__actions">
                  {viewer.canReply ? (
                    <li>
                      <ListLink to={`${here}?page=${page}&quote=${p.id}#reply`}>
                        Quote<span className="nhsuk-u-visually-hidden"> {p.authorName}</span>
                      </ListLink>
                    </li>
                  ) : null}
                  {p.mine ? (
                    <li>
                      <ListLink to={`/discussions/posts/${p.id}/edit`}>
                        Edit or delete<span className="nhsuk-u-visually-hidden"> your post</span>
                      </ListLink>
                    </li>
                  ) : null}
                  {viewer.signedIn && !p.mine ? (
                    <li>
                      <ListLink to={`/discussions/posts/${p.id}/report`}>
                        Report<span className="nhsuk-u-visually-hidden"> post by {p.authorName}</span>
                      </ListLink>
                    </li>
                  ) : null}
                  {viewer.canModerate ? (
                    <li>
                      <Form method="post" className="rt-link-form">
                        <input type="hidden" name="intent" value={p.hidden ? "restore-post" : "hide-post"} />
                        <input type="hidden" name="postId" value={p.id} />
                        <button type="submit" className="rt-link-button">
                          {p.hidden ? "Restore" : "Hide"}
                          <span className="nhsuk-u-visually-hidden"> post by {p.authorName}</span>
                        </button>
                      </Form>
                    </li>
                  ) : null}
                </ul>
              ) : null}
            </article>
          </li>
        ))}
      </ol>
      {posts.length === 0 ? <p>There are no posts to show on this page.</p> : null}

      <NumberedPagination page={page} pages={pageCount} link={pageLink} label="Pages of this discussion (bottom)" />

      <section id="reply" aria-labelledby="reply-heading" className="nhsuk-u-margin-top-5">
        <h2 id="reply-heading">Reply</h2>
        {viewer.canReply ? (
          <Form method="post" action={`${here}?page=${page}#reply`} key={`${quote}|${posts.at(-1)?.id ?? 0}`}>
            <ErrorSummary errors={errors} />
            <WhoWillSee isPublic={viewer.isPublic} />
            <input type="hidden" name="intent" value="reply" />
            <div className={`nhsuk-form-group${errors?.body ? " nhsuk-form-group--error" : ""}`}>
              <label className="nhsuk-label" htmlFor="body">
                Your reply
              </label>
              <div className="nhsuk-hint" id="body-hint">
                You can use Markdown: **bold**, *italic*, lists, links and &gt; quotes. Mention someone with @ and their handle, for example @{members[0]?.handle ?? "sam-member"}.
              </div>
              {errors?.body ? (
                <span className="nhsuk-error-message" id="body-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {errors.body}
                </span>
              ) : null}
              <textarea
                className={`nhsuk-textarea${errors?.body ? " nhsuk-textarea--error" : ""}`}
                id="body"
                name="body"
                rows={8}
                defaultValue={typed ?? quote}
                aria-describedby={`body-hint${errors?.body ? " body-error" : ""}`}
                aria-invalid={errors?.body ? true : undefined}
                data-max={BODY_MAX}
              />
            </div>
            <MentionPicker members={members} targetId="body" />
            {members.length ? (
              <details className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">Handles of the people in this {mentionScope}</span>
                </summary>
                <div className="nhsuk-details__text">
                  <ul className="nhsuk-list">
                    {members.map((m) => (
                      <li key={m.handle}>
                        {m.name}: <code>@{m.handle}</code>
                      </li>
                    ))}
                  </ul>
                </div>
              </details>
            ) : null}
            <Button>Post reply</Button>
          </Form>
        ) : thread.locked ? (
          <p>This discussion is closed to new replies.</p>
        ) : !viewer.signedIn ? (
          <p>
            <Link to={`/sign-in?redirectTo=${encodeURIComponent(here)}`}>Sign in</Link> to reply.
          </p>
        ) : !viewer.isMember ? (
          <p>Only members of {thread.networkName} can reply. <Link to="/networks">Ask to join the network</Link>.</p>
        ) : (
          <p>Confirm your email address to take part: use the link we emailed you.</p>
        )}
      </section>

      {viewer.canModerate ? (
        <section aria-labelledby="moderate-heading" className="nhsuk-u-margin-top-5 rt-moderation-box">
          <h2 id="moderate-heading" className="nhsuk-heading-m">
            Moderate this discussion
          </h2>
          <div className="rt-button-row">
            <Form method="post">
              <input type="hidden" name="intent" value={thread.pinned ? "unpin" : "pin"} />
              <Button variant="secondary">{thread.pinned ? "Unpin" : "Pin to the top"}</Button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value={thread.locked ? "unlock" : "lock"} />
              <Button variant="secondary">{thread.locked ? "Reopen for replies" : "Close to new replies"}</Button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value={thread.hidden ? "restore-thread" : "hide-thread"} />
              <Button variant={thread.hidden ? "secondary" : "warning"}>{thread.hidden ? "Restore the discussion" : "Hide the discussion"}</Button>
            </Form>
          </div>
          {categories.length ? (
            <Form method="post" className="rt-inline-form">
              <input type="hidden" name="intent" value="move" />
              <Select name="categoryId" label="Move to another category" options={categories.map((c) => ({ value: c.id, label: c.name }))} error={errors?.categoryId} />
              <Button variant="secondary">Move</Button>
            </Form>
          ) : null}
          <p className="nhsuk-u-margin-top-3">
            <Link to="/discussions/moderation">Open the moderation queue</Link>
          </p>
        </section>
      ) : null}
      <p className="nhsuk-body-s nhsuk-u-margin-top-4">
        <Link to={`/discussions/c/${thread.categoryId}`}>Back to {thread.categoryName}</Link>
      </p>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
