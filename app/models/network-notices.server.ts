import { networkStaff, notify } from "./notifier.server";

/** Who hears about requests to join a network, through the notifier. Call after the write has committed. */

export async function noticeJoinRequested({ networkId, networkName, networkSlug, applicantId, applicantName }: { networkId: number; networkName: string; networkSlug: string; applicantId: string; applicantName: string }) {
  const url = `/networks/${networkSlug}/members`;
  await notify((await networkStaff(networkId, "admin")).filter((id) => id !== applicantId), {
    kind: "mod-join",
    title: `${applicantName} asked to join ${networkName}`,
    url,
    check: { networkId, role: "admin" },
    coalesceKey: `mod-join:${networkId}:${applicantId}`,
    email: {
      subject: `${applicantName} asked to join ${networkName}`,
      heading: "Someone asked to join your network",
      paragraphs: [`${applicantName} asked to join ${networkName}.`, "Approve or decline the request on the network's members page."],
      action: { label: "See requests to join", url },
    },
  });
}

export async function noticeMembershipDecided({ accountId, networkName, networkSlug, approved }: { accountId: string; networkName: string; networkSlug: string; approved: boolean }) {
  const line = approved ? `You are now a member of ${networkName}` : `Your request to join ${networkName} was not approved`;
  const url = `/networks/${networkSlug}`;
  await notify([accountId], {
    kind: "moderation",
    title: line,
    url,
    email: {
      subject: approved ? `Welcome to ${networkName}` : `Your request to join ${networkName}`,
      heading: approved ? line : "Your request was not approved",
      paragraphs: approved
        ? ["Your request to join was approved. You can now see the network's members-only events, resources and discussions."]
        : [`The admins of ${networkName} did not approve your request to join this time.`, "You can still see the network's public events and resources, and you can contact the network to ask why."],
      action: { label: `Go to ${networkName}`, url },
    },
  });
}
