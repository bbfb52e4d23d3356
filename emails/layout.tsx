import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";

/**
 * The HTML frame of every email: table layout and inline styles because
 * Outlook's Word renderer ignores most CSS; lang, a title and real headings
 * for screen readers; a hidden preheader for inbox previews.
 */
export function EmailLayout({
  title,
  preheader,
  children,
  footer,
}: {
  title: string;
  preheader?: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{title}</title>
      </head>
      <body style={{ margin: 0, padding: 0, backgroundColor: "#f0f4f5", fontFamily: "Arial, Helvetica, sans-serif", color: "#212b32" }}>
        {preheader ? (
          <div style={{ display: "none", maxHeight: 0, overflow: "hidden", fontSize: 1, lineHeight: "1px", color: "#f0f4f5" }}>{preheader}</div>
        ) : null}
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ backgroundColor: "#f0f4f5" }}>
          <tbody>
            <tr>
              <td align="center" style={{ padding: "16px 8px" }}>
                <table role="presentation" width="600" cellPadding={0} cellSpacing={0} style={{ maxWidth: 600, width: "100%", backgroundColor: "#ffffff" }}>
                  <tbody>
                    <tr>
                      <td style={{ backgroundColor: "#005eb8", padding: "16px 24px" }}>
                        <span style={{ color: "#ffffff", fontSize: 22, fontWeight: "bold", letterSpacing: "0.5px" }}>Roundtable</span>
                      </td>
                    </tr>
                    <tr>
                      <td style={{ padding: "24px", fontSize: 16, lineHeight: "24px" }}>{children}</td>
                    </tr>
                    <tr>
                      <td style={{ padding: "16px 24px", borderTop: "1px solid #d8dde0", fontSize: 14, lineHeight: "20px", color: "#4c6272" }}>
                        {footer ?? "Roundtable: working together on social prescribing."}
                      </td>
                    </tr>
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}

export function EmailButton({ href, children }: { href: string; children: ReactNode }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} style={{ margin: "16px 0" }}>
      <tbody>
        <tr>
          <td style={{ backgroundColor: "#007f3b", borderRadius: 4 }}>
            <a href={href} style={{ display: "inline-block", padding: "12px 20px", color: "#ffffff", fontWeight: "bold", textDecoration: "none" }}>
              {children}
            </a>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function renderEmailHtml(element: ReactNode): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(<>{element}</>)}`;
}

export type SimpleEmail = {
  subject: string;
  heading: string;
  /** Paragraphs of plain text (rendered escaped). */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Plain-text lines after the action, e.g. "This link expires in 48 hours." */
  after?: string[];
  footer?: string;
  /** Links under the footer text ("Change which emails you get", "Stop these emails"). */
  footerLinks?: { label: string; url: string }[];
};

/** One template for the many short transactional emails: HTML and its plain-text twin. */
export function renderSimpleEmail(email: SimpleEmail): { subject: string; html: string; text: string } {
  const html = renderEmailHtml(
    <EmailLayout
      title={email.subject}
      preheader={email.paragraphs[0]}
      footer={
        email.footerLinks?.length ? (
          <>
            {email.footer}
            {email.footerLinks.map((l) => (
              <span key={l.url} style={{ display: "block", marginTop: 8 }}>
                <a href={l.url} style={{ color: "#005eb8" }}>
                  {l.label}
                </a>
              </span>
            ))}
          </>
        ) : (
          email.footer
        )
      }
    >
      <h1 style={{ fontSize: 24, lineHeight: "32px", margin: "0 0 16px" }}>{email.heading}</h1>
      {email.paragraphs.map((p, i) => (
        <p key={i} style={{ margin: "0 0 16px" }}>
          {p}
        </p>
      ))}
      {email.action ? (
        <>
          <EmailButton href={email.action.url}>{email.action.label}</EmailButton>
          <p style={{ margin: "0 0 16px", fontSize: 14 }}>
            Or copy this link into your browser: <a href={email.action.url}>{email.action.url}</a>
          </p>
        </>
      ) : null}
      {(email.after ?? []).map((p, i) => (
        <p key={`a${i}`} style={{ margin: "0 0 16px" }}>
          {p}
        </p>
      ))}
    </EmailLayout>,
  );
  const text = [
    email.heading,
    "",
    ...email.paragraphs.flatMap((p) => [p, ""]),
    ...(email.action ? [`${email.action.label}: ${email.action.url}`, ""] : []),
    ...(email.after ?? []).flatMap((p) => [p, ""]),
    "--",
    email.footer ?? "Roundtable: working together on social prescribing.",
    ...(email.footerLinks ?? []).map((l) => `${l.label}: ${l.url}`),
  ].join("\n");
  return { subject: email.subject, html, text };
}
