import { json, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "~/components/Page";
import { env } from "~/utils/env.server";

export const meta: MetaFunction = () => [{ title: "Accessibility statement – Roundtable" }];

export async function loader() {
  return json({ supportEmail: env().SUPPORT_EMAIL });
}

/** The statement the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 ask for. */
export default function Accessibility() {
  const { supportEmail } = useLoaderData<typeof loader>();
  const mail = <a href={`mailto:${supportEmail}`}>{supportEmail}</a>;
  return (
    <Page crumbs={[]}>
      <h1>Accessibility statement for Roundtable</h1>
      <p className="nhsuk-lede-text">We want as many people as possible to be able to use Roundtable.</p>
      <p>You should be able to:</p>
      <ul>
        <li>zoom in up to 400% without the text spilling off the screen</li>
        <li>navigate the whole site using just a keyboard</li>
        <li>use the site with JavaScript switched off</li>
        <li>listen to most of the site using a screen reader</li>
        <li>subscribe to events in your own calendar app instead of using the website</li>
      </ul>

      <h2 id="compliance-status">Compliance status</h2>
      <p>
        This website is partially compliant with the{" "}
        <a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines (WCAG) version 2.2</a> AA standard, due to
        the non-compliances listed below.
      </p>

      <h2 id="known-issues">Non-accessible content</h2>
      <p>The content listed below is non-accessible for the following reasons.</p>
      <h3>Non-compliance with the accessibility regulations</h3>
      <ul>
        <li>
          Documents that members upload as resources (PDF, Word and other files) are not checked when they are uploaded. Many
          are not tagged for screen readers, and some are scans without a text layer. This fails WCAG 2.2 success criteria 1.1.1
          (non-text content) and 1.3.1 (info and relationships). We ask publishers to upload accessible versions; if you need a
          resource in another format, ask its publisher or email us at {mail}.
        </li>
        <li>
          Event descriptions imported from partner organisations' calendars are written by those organisations, and may use
          headings, link text or structure that do not meet WCAG 2.2 success criteria 1.3.1 (info and relationships) and 2.4.4
          (link purpose).
        </li>
        <li>
          Images that members add to organisation profiles, such as logos, are given a generic text alternative (the
          organisation's name and "logo"), which may not describe text shown in the image (success criterion 1.1.1).
        </li>
      </ul>
      <h3>Content that's not within the scope of the accessibility regulations</h3>
      <p>
        PDFs and other documents published before 23 September 2018 that are not essential to providing our services, and
        content that third parties publish which we do not pay for, develop or control, are exempt from the regulations. We
        still fix problems in them when we can.
      </p>

      <h2 id="reporting-problems">Reporting accessibility problems with this website</h2>
      <p>
        We're always looking to improve the accessibility of this website. If you find any problems not listed on this page, or
        think we're not meeting accessibility requirements, email the Roundtable platform team at {mail}, or see the other ways
        to <a href="/contact#report-a-problem">contact us</a>. Tell us the web address of the page and what went wrong. We aim
        to reply within 5 working days.
      </p>

      <h2 id="enforcement-procedure">Enforcement procedure</h2>
      <p>
        The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and
        Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you're not happy with
        how we respond to your complaint, contact the{" "}
        <a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service (EASS)</a>.
      </p>
      <p>
        If you are in Northern Ireland and are not happy with how we respond to your complaint you can contact the{" "}
        <a href="https://www.equalityni.org/Home">Equality Commission for Northern Ireland (ECNI)</a>, who are responsible for
        enforcing the accessibility regulations in Northern Ireland.
      </p>

      <h2 id="how-we-tested">How we tested this website</h2>
      <p>
        Roundtable is built on the NHS.UK design system. Every page that can be reached by following links is checked
        automatically with axe-core (WCAG 2.2 A and AA rules) in the Chromium browser before each release, on a desktop screen
        and on a 375 pixel wide phone screen, and the main tasks (signing in, finding and registering for events, finding
        resources, joining a network) are tested with JavaScript switched off. We have not yet had a full manual audit by an
        accessibility specialist, or testing with users of assistive technology; we plan both.
      </p>

      <h2 id="preparation">Preparation of this accessibility statement</h2>
      <p>
        This statement was prepared on <time dateTime="2026-11-27">27 November 2026</time>. It was last reviewed on{" "}
        <time dateTime="2026-11-27">27 November 2026</time>.
      </p>
    </Page>
  );
}
