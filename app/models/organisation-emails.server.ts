/** Emails about organisations. Sent after the database write has committed, never inside it. */
import { renderSimpleEmail } from "../../emails/layout";
import { sendEmail } from "../../emails/send";
import { env } from "../utils/env.server";
import { networkAdminEmails } from "./networks.server";

async function send(to: string, message: { subject: string; html: string; text: string }) {
  // A failed email must not undo the decision the user already saw succeed.
  await sendEmail({ to, ...message }).catch((error: unknown) => console.error("organisation email failed", error));
}

export async function notifyOrganisationProposed({ proposerName, name, area, networkIds }: { proposerName: string; name: string; area: string; networkIds: number[] }) {
  const recipients = new Set<string>();
  for (const id of networkIds) for (const email of await networkAdminEmails(id)) recipients.add(email);
  const message = renderSimpleEmail({
    subject: `New organisation to check: ${name}`,
    heading: "An organisation is waiting for approval",
    paragraphs: [`${proposerName} proposed ${name} (${area}).`, "Please check it and approve or reject it."],
    action: { label: "Check proposals", url: `${env().APP_URL}/organisations/queue` },
  });
  for (const to of recipients) await send(to, message);
}

export async function notifyOrganisationDecision({ to, name, slug, approved }: { to: string; name: string; slug: string; approved: boolean }) {
  const message = renderSimpleEmail({
    subject: approved ? `${name} is now listed on Roundtable` : `${name} was not approved`,
    heading: approved ? "Your organisation is listed" : "Your organisation was not approved",
    paragraphs: approved
      ? [`A network admin approved ${name}. It now appears in the directory, and its services are shared through the Open Referral UK API.`]
      : [`A network admin did not approve ${name}. If you think this is a mistake, reply to your network's contact address.`],
    action: approved ? { label: "See the profile", url: `${env().APP_URL}/organisations/${slug}` } : undefined,
  });
  await send(to, message);
}
