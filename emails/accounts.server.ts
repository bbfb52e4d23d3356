/** The accounts domain's transactional emails: short, plain, one action each. */
import { env } from "../app/utils/env.server";
import { renderSimpleEmail } from "./layout";
import { sendEmail } from "./send";

function link(path: string): string {
  return `${env().APP_URL}${path}`;
}

/**
 * The confirmation link. With an invitation (signed up from an invitation link), the link
 * carries it, so after confirming and signing in the person lands on that invitation.
 */
export async function sendVerificationEmail(to: string, name: string, token: string, { invitationToken, networkName }: { invitationToken?: string; networkName?: string } = {}) {
  const invitation = invitationToken ? `&invitation=${encodeURIComponent(invitationToken)}` : "";
  const email = renderSimpleEmail({
    subject: "Confirm your email address for Roundtable",
    heading: "Confirm your email address",
    paragraphs: [
      `Hello ${name},`,
      invitationToken && networkName
        ? `Thanks for creating a Roundtable account. Confirm this is your email address, then sign in to accept your invitation to ${networkName}.`
        : "Thanks for creating a Roundtable account. Confirm this is your email address to ask to join networks.",
    ],
    action: { label: "Confirm my email address", url: link(`/verify-email?token=${encodeURIComponent(token)}${invitation}`) },
    after: ["This link works once and expires in 48 hours.", "If you did not create an account, you can ignore this email."],
  });
  return sendEmail({ to, ...email });
}

export async function sendSignUpAttemptEmail(to: string, { invitationToken, networkName }: { invitationToken?: string; networkName?: string } = {}) {
  const email = renderSimpleEmail({
    subject: "Someone tried to create a Roundtable account with your address",
    heading: "You already have an account",
    paragraphs: [
      "Someone (probably you) tried to create a Roundtable account with this email address, which already has one.",
      "If it was you, sign in instead. If you have forgotten your password, you can reset it.",
      ...(invitationToken && networkName ? [`To accept your invitation to ${networkName}, sign in, then open it: ${link(`/invitations/${encodeURIComponent(invitationToken)}`)}`] : []),
    ],
    action: { label: "Reset my password", url: link("/forgot-password") },
    after: ["If it was not you, you do not need to do anything: your account has not changed."],
  });
  return sendEmail({ to, ...email });
}

export async function sendPasswordResetEmail(to: string, name: string, token: string) {
  const email = renderSimpleEmail({
    subject: "Reset your Roundtable password",
    heading: "Reset your password",
    paragraphs: [`Hello ${name},`, "We received a request to reset the password for your Roundtable account."],
    action: { label: "Choose a new password", url: link(`/reset-password?token=${encodeURIComponent(token)}`) },
    after: ["This link works once and expires in 1 hour.", "If you did not ask for this, ignore this email: your password has not changed."],
  });
  return sendEmail({ to, ...email });
}

export async function sendPasswordChangedEmail(to: string, name: string) {
  const email = renderSimpleEmail({
    subject: "Your Roundtable password was changed",
    heading: "Your password was changed",
    paragraphs: [`Hello ${name},`, "The password for your Roundtable account was just changed, and every other device was signed out."],
    after: ["If this was not you, reset your password straight away and tell your network admin."],
    action: { label: "Reset my password", url: link("/forgot-password") },
  });
  return sendEmail({ to, ...email });
}

export async function sendInvitationEmail(to: string, { networkName, role, inviterName, token }: { networkName: string; role: string; inviterName: string; token: string }) {
  const email = renderSimpleEmail({
    subject: `You are invited to join ${networkName} on Roundtable`,
    heading: `Join ${networkName}`,
    paragraphs: [`${inviterName} has invited you to join ${networkName} on Roundtable as ${/^[aeiou]/.test(role) ? "an" : "a"} ${role}.`],
    action: { label: "See the invitation", url: link(`/invitations/${encodeURIComponent(token)}`) },
    after: ["The invitation is for this email address only, works once and expires in 14 days."],
  });
  return sendEmail({ to, ...email });
}

/** Tells the account a platform admin turned off its two-step verification (and signed it out everywhere). */
export async function sendTwoStepResetEmail(to: string, name: string) {
  const email = renderSimpleEmail({
    subject: "Two-step verification was reset on your Roundtable account",
    heading: "Two-step verification was reset",
    paragraphs: [
      `Hello ${name},`,
      "A Roundtable platform admin turned off two-step verification on your account, as you asked, and signed you out everywhere.",
      "Sign in with your password, then turn two-step verification on again with your new phone. Admins must do this before they can manage networks.",
    ],
    action: { label: "Set up two-step verification", url: link("/account/two-step") },
    after: ["If you did not ask for this, reset your password straight away and contact your network admin."],
  });
  return sendEmail({ to, ...email });
}
