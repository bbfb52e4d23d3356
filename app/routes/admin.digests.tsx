import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { digestStats, listSuspended, reinstate } from "~/models/digests.server";
import { requirePlatformAdmin } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";

/** Platform admins: addresses suspended after repeated permanent failures, and sending at a glance. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { counts, recent } = await digestStats();
  return json({ suspended: await listSuspended(), counts, recent });
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePlatformAdmin(request);
  const form = await request.formData();
  const id = Number(form.get("id"));
  if (!Number.isInteger(id) || id <= 0 || !(await reinstate(id))) throw new Response("Not found", { status: 404 });
  return redirectWithFlash("/admin/digests", "The address is reinstated and will get the next digest.");
}

export const meta: MetaFunction = () => [{ title: "Digest sending – Roundtable" }];

export default function AdminDigests() {
  const { suspended, counts, recent } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/admin/digests", label: "Digest sending" }]}>
      <h1>Digest sending</h1>
      <p>
        Subscriptions: {counts.map((c) => `${c.n} ${c.status}`).join(", ") || "none yet"}.
      </p>
      <h2>Suspended addresses</h2>
      <p>After repeated permanent failures (the receiving server refused the address), sending stops. Reinstate an address once it works again.</p>
      {suspended.length === 0 ? (
        <EmptyState title="No suspended addresses" />
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Suspended addresses</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Failures</th>
              <th scope="col">Last failure</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {suspended.map((s) => (
              <tr key={s.id}>
                <td>{s.email}</td>
                <td>{s.failure_count}</td>
                <td className="rt-digest-failure">{s.last_failure}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="id" value={s.id} />
                    <Button variant="secondary">Reinstate {s.email}</Button>
                  </Form>
                  <Link to={`/digest/preview?id=${s.id}`}>Preview</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent periods</h2>
      {recent.length === 0 ? (
        <EmptyState title="Nothing sent yet" />
      ) : (
        <ul className="nhsuk-list">
          {recent.map((r) => (
            <li key={`${r.period}-${r.status}`}>
              {r.period}: {r.n} {r.status}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
