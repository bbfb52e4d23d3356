import type { MetaFunction } from "@remix-run/node";
import { Page } from "~/components/Page";

export const meta: MetaFunction = () => [{ title: "Accessibility statement – Roundtable" }];

export default function Accessibility() {
  return (
    <Page crumbs={[]}>
      <h1>Accessibility statement</h1>
      <p className="nhsuk-lede-text">We want as many people as possible to be able to use Roundtable.</p>
      <p>You should be able to:</p>
      <ul>
        <li>zoom in up to 400% without the text spilling off the screen</li>
        <li>navigate the whole site using just a keyboard</li>
        <li>use the site with JavaScript switched off</li>
        <li>listen to most of the site using a screen reader</li>
        <li>subscribe to events in your own calendar app instead of using the website</li>
      </ul>
      <h2>How accessible this website is</h2>
      <p>
        Roundtable is built on the NHS.UK design system and aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at
        level AA. Every page is checked automatically with axe-core before each release.
      </p>
      <p>
        Documents that members upload may not be accessible. If you need a resource in another format, contact its publisher
        or <a href="/contact">contact us</a>.
      </p>
      <h2>Reporting problems</h2>
      <p>
        If you find a problem not listed here, <a href="/contact">contact us</a>. We aim to reply within 5 working days.
      </p>
      <h2>Enforcement procedure</h2>
      <p>
        The Equality and Human Rights Commission (EHRC) is responsible for enforcing the accessibility regulations. If you are
        not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).
      </p>
    </Page>
  );
}
