import type { MetaFunction } from "@remix-run/node";
import { Page } from "~/components/Page";

export const meta: MetaFunction = () => [{ title: "Contact us – Roundtable" }];

export default function Contact() {
  return (
    <Page crumbs={[]}>
      <h1>Contact us</h1>
      <p>
        For a network's events, resources or membership, contact that network: each <a href="/networks">network page</a> lists
        its contact.
      </p>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">North West network</dt>
          <dd className="nhsuk-summary-list__value">Voluntary Sector North West</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">National Social Prescribing Network</dt>
          <dd className="nhsuk-summary-list__value">
            <a href="mailto:socialprescribing@outlook.com">socialprescribing@outlook.com</a>
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Contributions to the NHS England repository</dt>
          <dd className="nhsuk-summary-list__value">
            <a href="mailto:england.socialprescribing@nhs.net">england.socialprescribing@nhs.net</a>
          </dd>
        </div>
      </dl>
      <p>To report a problem with this website, including accessibility problems, email the network that you are a member of.</p>
    </Page>
  );
}
