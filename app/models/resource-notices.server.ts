import { networkStaff, notify } from "./notifier.server";
import type { ModerationOutcome } from "./resources.server";

/** Who hears about resource contributions, through the notifier. Call after the write has committed. */

/** A member's contribution waits for moderation: the network's moderators are told. */
export async function noticeResourceSubmitted({ resourceId, title, networkId, contributorId, contributorName }: { resourceId: number; title: string; networkId: number; contributorId: string; contributorName: string }) {
  const moderators = (await networkStaff(networkId, "moderator")).filter((id) => id !== contributorId);
  const url = "/resources/moderation";
  await notify(moderators, {
    kind: "mod-resource",
    title: `${contributorName} submitted “${title}” for moderation`,
    url,
    check: { networkId, role: "moderator" },
    email: {
      subject: `A resource is waiting for moderation: ${title}`,
      heading: "A resource is waiting for moderation",
      paragraphs: [`${contributorName} submitted “${title}”. It is not published until a moderator approves it.`],
      action: { label: "Open the moderation queue", url },
    },
    coalesceKey: `mod-resource:${resourceId}`,
  });
}

/** Tells the contributor what a moderator decided (without naming the moderator). */
export async function noticeResourceDecision(outcome: Extract<ModerationOutcome, { ok: true }>) {
  if (!outcome.contributorAccountId) return;
  const approved = outcome.decision === "approve";
  const url = approved ? `/resources/${outcome.resourceId}` : `/resources/${outcome.resourceId}/edit`;
  const line = approved ? `Your resource is published: ${outcome.title}` : `Your resource was not published: ${outcome.title}`;
  await notify([outcome.contributorAccountId], {
    kind: "moderation",
    title: line,
    url,
    email: {
      subject: line,
      heading: approved ? "Your resource is published" : "Your resource was not published",
      paragraphs: approved
        ? [`A moderator approved “${outcome.title}”. Members can now find it in the resource repository.`]
        : [`A moderator did not publish “${outcome.title}”.`, `Their reason: ${outcome.reason ?? ""}`, "You can change it and send it again."],
      action: { label: approved ? "See your resource" : "Change your resource", url },
    },
  });
}
