import { json, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "~/components/Page";
import { listNetworks } from "~/models/networks.server";
import { env } from "~/utils/env.server";

export const meta: MetaFunction = () => [{ title: "Contact us – Roundtable" }];

/** Each network's contact, from the networks' own data, and the platform team's address. */
export async function loader() {
  const networks = (await listNetworks()).map((n) => ({ slug: n.slug, name: n.name, contact_email: n.contact_email, host_name: n.host_name }));
  return json({ networks, supportEmail: env().SUPPORT_EMAIL });
}

export default function Contact() {
  const { networks, supportEmail } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[]}>
      <h1>Contact us</h1>
      <h2>Contact a network</h2>
      <p>For a network's events, resources or membership, contact that network.</p>
      <dl className="nhsuk-summary-list">
        {networks.map((n) => (
          <div className="nhsuk-summary-list__row" key={n.slug}>
            <dt className="nhsuk-summary-list__key">
              <a href={`/networks/${n.slug}`}>{n.name}</a>
            </dt>
            <dd className="nhsuk-summary-list__value">
              {n.contact_email ? (
                <a href={`mailto:${n.contact_email}`}>{n.contact_email}</a>
              ) : (
                <>
                  No email address yet: see <a href={`/networks/${n.slug}`}>the network's page</a>
                  {n.host_name ? ` (hosted by ${n.host_name})` : ""}.
                </>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <h2>Contributions to the NHS England repository</h2>
      <p>
        Email <a href="mailto:england.socialprescribing@nhs.net">england.socialprescribing@nhs.net</a>.
      </p>
      <h2 id="report-a-problem">Report a problem with this website</h2>
      <p>
        To report a problem with this website, including an accessibility problem, or to ask for content in another format, email
        the Roundtable platform team at <a href={`mailto:${supportEmail}`}>{supportEmail}</a>. Tell us the web address of the
        page and what went wrong. We aim to reply within 5 working days.
      </p>
    </Page>
  );
}
