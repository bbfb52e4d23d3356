import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getPost, getThreadForViewer, pageOfSeq } from "~/models/discussions.server";
import { getOptionalUser } from "~/utils/auth.server";

/**
 * A stable link to any post (/discussions/12/posts/345): sends the reader to the page that
 * holds it, whatever the thread's length. Hidden posts are found only by moderators.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const threadId = /^\d{1,12}$/.test(params.id ?? "") ? Number(params.id) : 0;
  const postId = /^\d{1,12}$/.test(params.postId ?? "") ? Number(params.postId) : 0;
  const user = await getOptionalUser(request);
  const found = await getThreadForViewer(threadId, user);
  const post = found ? await getPost(postId) : undefined;
  if (!found || !post || post.thread_id !== threadId || (post.hidden && !found.access.canModerate)) throw new Response("Not found", { status: 404 });
  const page = pageOfSeq(post.seq);
  return redirect(`/discussions/${threadId}${page > 1 ? `?page=${page}` : ""}#post-${post.id}`);
}
