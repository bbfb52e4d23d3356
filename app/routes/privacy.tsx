import type { MetaFunction } from "@remix-run/node";
import { Page } from "~/components/Page";

export const meta: MetaFunction = () => [{ title: "Privacy notice – Roundtable" }];

export default function Privacy() {
  return (
    <Page crumbs={[]}>
      <h1>Privacy notice</h1>
      <p className="nhsuk-lede-text">What we collect, why, and your rights under UK GDPR.</p>
      <h2>What we collect</h2>
      <ul>
        <li>Your account: name, email address, job title, organisation and a short bio if you add one.</li>
        <li>What you share: events, resources, discussions and replies.</li>
        <li>Event registrations, so organisers know who is coming.</li>
        <li>Digest subscriptions: your email address, what you chose to receive and when you gave consent.</li>
        <li>Security records: your sessions (device and approximate time of last use) and failed sign-in attempts.</li>
      </ul>
      <h2>Why</h2>
      <p>
        To run the networks you join (legitimate interests), and to send the email digest you asked for (consent, which you can
        withdraw with one click in any digest).
      </p>
      <h2>Who can see it</h2>
      <p>
        Members-only content is visible only to members of that network. Your profile is visible to other signed-in members
        unless you hide it. Organisers of an event you register for can see your name and email address.
      </p>
      <h2>Cookies</h2>
      <p>
        We use one cookie to keep you signed in and one short-lived cookie to show a message after you submit a form. We do not
        use analytics or advertising cookies.
      </p>
      <h2>Your rights</h2>
      <p>
        You can download everything we hold about you and delete your account from <a href="/account">your account page</a>.
        Posts you made stay, marked as from a former member.
      </p>
    </Page>
  );
}
