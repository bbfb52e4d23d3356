import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { NumberedPagination, ThreadList } from "~/components/Discussions";
import { Button } from "~/components/forms";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { getCategoryForViewer, isFollowingCategory, listCategoryThreads, setCategoryFollow } from "~/models/discussions.server";
import { getOptionalUser, requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";

function categoryId(params: { categoryId?: string }): number {
  if (!/^\d{1,12}$/.test(params.categoryId ?? "")) throw new Response("Not found", { status: 404 });
  return Number(params.categoryId);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const found = await getCategoryForViewer(categoryId(params), user);
  if (!found) throw new Response("Not found", { status: 404 });
  const { category, access } = found;
  const pageText = new URL(request.url).searchParams.get("page") ?? "1";
  const page = /^\d{1,7}$/.test(pageText) ? Number(pageText) : 1;
  const [list, following] = await Promise.all([
    listCategoryThreads({ categoryId: category.id, page, user, includeHidden: access.canModerate }),
    user ? isFollowingCategory(user.id, category.id) : Promise.resolve(false),
  ]);
  return json({ category, ...list, signedIn: Boolean(user), canPost: access.canPost, following });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const found = await getCategoryForViewer(categoryId(params), user);
  if (!found) throw new Response("Not found", { status: 404 });
  const intent = String((await request.formData()).get("intent") ?? "");
  if (intent !== "follow" && intent !== "unfollow") throw new Response("Bad request", { status: 400 });
  await setCategoryFollow(user.id, found.category.id, intent === "follow");
  return redirectWithFlash(
    `/discussions/c/${found.category.id}`,
    intent === "follow" ? `You are following ${found.category.name}: we will tell you about new discussions.` : `You no longer follow ${found.category.name}.`,
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.category.name}${data.page > 1 ? ` (page ${data.page})` : ""} – Discussions – Roundtable` : "Discussions – Roundtable" }];

export default function CategoryPage() {
  const { category, threads, page, pageCount, total, signedIn, canPost, following } = useLoaderData<typeof loader>();
  const here = `/discussions/c/${category.id}`;
  return (
    <Page crumbs={[{ to: "/discussions", label: "Discussions" }]}>
      <span className="nhsuk-caption-l">{category.network_name}</span>
      <h1 className="rt-break">{category.name}</h1>
      {category.description ? <p className="nhsuk-lede-text">{category.description}</p> : null}
      <div className="rt-button-row">
        {canPost ? (
          <Link to={`/discussions/new?category=${category.id}`} className="nhsuk-button" role="button" draggable="false">
            Start a discussion
          </Link>
        ) : null}
        {signedIn ? (
          <Form method="post">
            <input type="hidden" name="intent" value={following ? "unfollow" : "follow"} />
            <Button variant="secondary">{following ? "Stop following this category" : "Follow this category"}</Button>
          </Form>
        ) : null}
      </div>
      <h2 className="nhsuk-heading-m">
        {total} {total === 1 ? "discussion" : "discussions"}
        {pageCount > 1 ? (
          <span className="nhsuk-body-s">
            {" "}
            (page {page} of {pageCount})
          </span>
        ) : null}
      </h2>
      {threads.length ? (
        <ThreadList threads={threads} />
      ) : (
        <EmptyState title="No discussions here yet.">{canPost ? <p>Start the first one.</p> : null}</EmptyState>
      )}
      <NumberedPagination page={page} pages={pageCount} link={(p) => (p === 1 ? here : `${here}?page=${p}`)} label="Pages of discussions" />
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
