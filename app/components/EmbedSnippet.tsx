const escapeAttribute = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The copy-paste snippet that shows a network's or organisation's upcoming events on a partner's site. */
export function EmbedSnippet({ embedUrl, jsonUrl, name }: { embedUrl: string; jsonUrl: string; name: string }) {
  const snippet = `<iframe src="${escapeAttribute(embedUrl)}" title="${escapeAttribute(`Upcoming events: ${name}`)}" width="100%" height="600" style="border:0" loading="lazy"></iframe>`;
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Show these events on your website</span>
      </summary>
      <div className="nhsuk-details__text">
        <p>
          Copy this into your web page. It lists the upcoming public events, with a month view, and keeps itself up to date; each event opens on Roundtable
          in a new tab. <a href={embedUrl}>Preview it</a>.
        </p>
        <pre className="rt-snippet">
          <code>{snippet}</code>
        </pre>
        <p>
          Building your own listing? The same events as schema.org JSON: <a href={jsonUrl}>{jsonUrl}</a>
        </p>
      </div>
    </details>
  );
}
