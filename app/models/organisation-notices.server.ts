import { networkStaff, notify } from "./notifier.server";

/** Who hears about organisation proposals, through the notifier. Call after the write has committed. */

export async function noticeOrganisationProposed({ proposerId, proposerName, name, area, networkIds }: { proposerId: string; proposerName: string; name: string; area: string; networkIds: number[] }) {
  const url = "/organisations/queue";
  // One alert per network, each checked against that network's admins when it is due.
  for (const networkId of new Set(networkIds)) {
    await notify((await networkStaff(networkId, "admin")).filter((id) => id !== proposerId), {
      kind: "mod-organisation",
      title: `${proposerName} proposed ${name}`,
      url,
      check: { networkId, role: "admin" },
      coalesceKey: `mod-organisation:${name}`,
      email: {
        subject: `New organisation to check: ${name}`,
        heading: "An organisation is waiting for approval",
        paragraphs: [`${proposerName} proposed ${name} (${area}).`, "Please check it and approve or reject it."],
        action: { label: "Check proposals", url },
      },
    });
  }
}

export async function noticeOrganisationDecision({ accountId, name, slug, approved }: { accountId: string; name: string; slug: string; approved: boolean }) {
  const line = approved ? `${name} is now listed on Roundtable` : `${name} was not approved`;
  await notify([accountId], {
    kind: "moderation",
    title: line,
    url: approved ? `/organisations/${slug}` : "/organisations",
    email: {
      subject: line,
      heading: approved ? "Your organisation is listed" : "Your organisation was not approved",
      paragraphs: approved
        ? [`A network admin approved ${name}. It now appears in the directory, and its services are shared through the Open Referral UK API.`]
        : [`A network admin did not approve ${name}. If you think this is a mistake, reply to your network's contact address.`],
      action: approved ? { label: "See the profile", url: `/organisations/${slug}` } : undefined,
    },
  });
}
