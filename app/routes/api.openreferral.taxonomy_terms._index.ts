import type { LoaderFunctionArgs } from "@remix-run/node";
import { listTaxonomyTerms, orukJson, pageEnvelope, readPaging } from "~/models/openreferral.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { page, perPage } = readPaging(new URL(request.url).searchParams);
  const all = listTaxonomyTerms();
  return orukJson(pageEnvelope(all.slice((page - 1) * perPage, page * perPage), all.length, page, perPage));
}
