import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOrukService, orukJson, orukNotFound } from "~/models/openreferral.server";

/** Open Referral UK: one fully nested service by its UUID; anything else is a JSON 404. */
export async function loader({ params }: LoaderFunctionArgs) {
  const service = await getOrukService(params.id ?? "");
  return service ? orukJson(service) : orukNotFound();
}
