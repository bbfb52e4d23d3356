import type { LoaderFunctionArgs } from "@remix-run/node";
import { listTaxonomyTerms, orukJson, orukNotFound } from "~/models/openreferral.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const term = listTaxonomyTerms().find((t) => t.id === (params.id ?? "").toLowerCase());
  return term ? orukJson(term) : orukNotFound("taxonomy term");
}
