import type { DigestContent, DigestItem } from "../app/models/digest-content.server";
import { EmailLayout, renderEmailHtml } from "./layout";

export type DigestEmailInput = {
  content: DigestContent;
  frequency: "daily" | "weekly";
  appUrl: string;
  manageUrl: string;
  unsubscribeUrl: string;
  /** e.g. "week beginning 23 November 2026" */
  periodLabel: string;
};

const link = { color: "#005eb8", textDecoration: "underline" } as const;

function absolute(appUrl: string, url: string): string {
  return url.startsWith("/") ? `${appUrl}${url}` : url;
}

function counts(content: DigestContent): string {
  const parts = content.sections.map((s) => {
    const n = s.items.length;
    switch (s.key) {
      case "events":
        return `${n} ${n === 1 ? "event" : "events"}`;
      case "resources":
        return `${n} new ${n === 1 ? "resource" : "resources"}`;
      case "discussions":
        return `${n} active ${n === 1 ? "discussion" : "discussions"}`;
      case "notifications":
        return `${n} ${n === 1 ? "notification" : "notifications"} for you`;
      default:
        return `${n} ${n === 1 ? "update" : "updates"} from organisations you follow`;
    }
  });
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : (parts[0] ?? "nothing new");
}

export function digestSubject(input: { frequency: "daily" | "weekly"; content: DigestContent }): string {
  return `Your ${input.frequency} Roundtable digest: ${counts(input.content)}`;
}

function Item({ item, appUrl }: { item: DigestItem; appUrl: string }) {
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ margin: "0 0 16px", borderLeft: "4px solid #005eb8" }}>
      <tbody>
        <tr>
          <td style={{ padding: "4px 0 4px 12px" }}>
            <h3 style={{ fontSize: 18, lineHeight: "24px", margin: "0 0 4px" }}>
              <a href={absolute(appUrl, item.url)} style={link}>
                {item.title}
              </a>
            </h3>
            {item.when ? <p style={{ margin: "0 0 4px", fontWeight: "bold" }}>{item.when}</p> : null}
            {item.meta ? <p style={{ margin: "0 0 4px", fontSize: 14, color: "#4c6272" }}>{item.meta}</p> : null}
            {item.summary ? <p style={{ margin: "0 0 4px" }}>{item.summary}</p> : null}
            {item.icsUrl ? (
              <p style={{ margin: "0", fontSize: 14 }}>
                <a href={absolute(appUrl, item.icsUrl)} style={link}>
                  Add “{item.title}” to your calendar
                </a>
              </p>
            ) : null}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** The digest email: HTML for Outlook and Gmail (tables, inline styles) and its plain-text twin. */
export function renderDigestEmail(input: DigestEmailInput): { subject: string; html: string; text: string } {
  const subject = digestSubject(input);
  const { content, appUrl } = input;
  const intro = `Here is what is new on Roundtable for the ${input.periodLabel}: ${counts(content)}.`;
  const footer = (
    <>
      You get this {input.frequency} digest because you asked for it.{" "}
      <a href={input.manageUrl} style={link}>
        Change how often and what it covers
      </a>{" "}
      or{" "}
      <a href={input.unsubscribeUrl} style={link}>
        unsubscribe
      </a>
      .
    </>
  );
  const html = renderEmailHtml(
    <EmailLayout title={subject} preheader={intro} footer={footer}>
      <h1 style={{ fontSize: 24, lineHeight: "32px", margin: "0 0 16px" }}>Your {input.frequency} digest</h1>
      <p style={{ margin: "0 0 24px" }}>{intro}</p>
      {content.sections.map((section) => (
        <div key={section.key}>
          <h2 style={{ fontSize: 20, lineHeight: "28px", margin: "24px 0 12px" }}>{section.heading}</h2>
          {section.items.map((item) => (
            <Item key={`${section.key}-${item.id}`} item={item} appUrl={appUrl} />
          ))}
        </div>
      ))}
      <p style={{ margin: "24px 0 0" }}>
        <a href={`${appUrl}/`} style={link}>
          Visit Roundtable
        </a>
      </p>
    </EmailLayout>,
  );
  const lines: string[] = [`Your ${input.frequency} digest`, "", intro, ""];
  for (const section of content.sections) {
    lines.push(section.heading.toUpperCase(), "");
    for (const item of section.items) {
      lines.push(`* ${item.title}`);
      if (item.when) lines.push(`  ${item.when}`);
      if (item.meta) lines.push(`  ${item.meta}`);
      if (item.summary) lines.push(`  ${item.summary}`);
      lines.push(`  ${absolute(appUrl, item.url)}`);
      if (item.icsUrl) lines.push(`  Add to calendar: ${absolute(appUrl, item.icsUrl)}`);
      lines.push("");
    }
  }
  lines.push(
    "--",
    `You get this ${input.frequency} digest because you asked for it.`,
    `Change how often and what it covers: ${input.manageUrl}`,
    `Unsubscribe: ${input.unsubscribeUrl}`,
  );
  return { subject, html, text: lines.join("\n") };
}
