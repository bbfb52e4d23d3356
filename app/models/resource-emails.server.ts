import { renderSimpleEmail } from "../../emails/layout";
import { sendEmail } from "../../emails/send";
import { env } from "../utils/env.server";
import type { ModerationOutcome } from "./resources.server";

/** Tells the contributor what a moderator decided. Call after the transaction has committed. */
export async function sendModerationEmail(outcome: Extract<ModerationOutcome, { ok: true }>): Promise<void> {
  if (!outcome.contributorEmail) return;
  const url = `${env().APP_URL}/resources/${outcome.resourceId}`;
  const approved = outcome.decision === "approve";
  const email = renderSimpleEmail({
    subject: approved ? `Your resource is published: ${outcome.title}` : `Your resource was not published: ${outcome.title}`,
    heading: approved ? "Your resource is published" : "Your resource was not published",
    paragraphs: approved
      ? [`Hello ${outcome.contributorName ?? ""},`.replace(" ,", ","), `A moderator approved "${outcome.title}". Members can now find it in the resource repository.`]
      : [
          `Hello ${outcome.contributorName ?? ""},`.replace(" ,", ","),
          `A moderator did not publish "${outcome.title}".`,
          `Their reason: ${outcome.reason ?? ""}`,
          "You can change it and send it again.",
        ],
    action: { label: approved ? "See your resource" : "Change your resource", url: approved ? url : `${url}/edit` },
  });
  try {
    await sendEmail({ to: outcome.contributorEmail, ...email });
  } catch (error) {
    // The decision is saved; a mail failure must not undo it or show an error page.
    console.error(`Could not email the contributor about resource ${outcome.resourceId}:`, error instanceof Error ? error.message : error);
  }
}
