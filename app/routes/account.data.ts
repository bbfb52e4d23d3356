import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportAccountData } from "~/models/accounts.server";
import { requireUser } from "~/utils/auth.server";

/** "Download your data" (UK GDPR right of access): everything stored about the signed-in person, as JSON. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await exportAccountData(user.id);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="roundtable-my-data-${date}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
