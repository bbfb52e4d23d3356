import { renderSimpleEmail } from "./layout";

/**
 * A notice email (registration, change, mention, moderator alert…): the message itself, why the
 * member got it, a link to change that kind, and a one-click link that stops that kind only.
 * Templates only render what they are given: the notifier decides who gets what.
 */
export type NoticeEmailInput = {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** Absolute URL. */
  action?: { label: string; url: string };
  /** The kind's label, e.g. "A post is reported". */
  kindLabel: string;
  /** The member's account name, for the greeting. */
  name: string;
  changeUrl: string;
  stopUrl: string;
};

export function renderNoticeEmail(input: NoticeEmailInput): { subject: string; html: string; text: string } {
  return renderSimpleEmail({
    subject: input.subject,
    heading: input.heading,
    paragraphs: [`Hello ${input.name},`, ...input.paragraphs],
    action: input.action,
    footer: `Why you got this: you chose to be emailed straight away when this happens: “${input.kindLabel}”.`,
    footerLinks: [
      { label: "Change which emails you get", url: input.changeUrl },
      { label: "Stop emails like this one", url: input.stopUrl },
    ],
  });
}
