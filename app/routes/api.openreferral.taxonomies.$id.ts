import type { LoaderFunctionArgs } from "@remix-run/node";
import { listTaxonomies, orukJson, orukNotFound } from "~/models/openreferral.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const taxonomy = listTaxonomies().find((t) => t.id === (params.id ?? "").toLowerCase());
  return taxonomy ? orukJson(taxonomy) : orukNotFound("taxonomy");
}
