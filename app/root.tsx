import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { ErrorMessage } from "./components/ErrorMessage";
import { Footer } from "./components/Footer";
import { Header } from "./components/Header";
import { useListLinks } from "./components/ListLink";
import { unreadNotificationCount } from "./models/notifications.server";
import { getOptionalUser } from "./utils/auth.server";
import { isEmbedPath } from "./utils/embed";
import { readFlash } from "./utils/flash.server";
import { useNonce } from "./utils/nonce";
import appCss from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/assets/nhsuk-frontend.css" },
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Roundtable: social prescribing networks working together" },
  { name: "description", content: "Events, resources, partner organisations and discussions for regional social prescribing networks." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  if (isEmbedPath(new URL(request.url).pathname)) return json({ user: null, flash: null });
  const user = await getOptionalUser(request);
  return json({
    user: user
      ? { id: user.id, name: user.name, isPlatformAdmin: user.isPlatformAdmin, unread: await unreadNotificationCount(user.id) }
      : null,
    flash: readFlash(request),
  });
}

function Document({ children, user }: { children: ReactNode; user: { name: string; unread: number } | null }) {
  const nonce = useNonce();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#005eb8" />
        <Meta />
        <Links />
      </head>
      <body suppressHydrationWarning>
        <script
          nonce={nonce}
          // nhsuk-frontend's own snippet: its components initialise only when the browser supports them.
          dangerouslySetInnerHTML={{
            __html: `document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');`,
          }}
        />
        <a className="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">
          Skip to main content
        </a>
        <Header user={user} />
        {children}
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** nhsuk-frontend's scripts (header menu, error summary focus) are an enhancement, started after hydration. */
function useNhsukFrontend() {
  useEffect(() => {
    const src = "/assets/nhsuk-frontend.js";
    import(/* @vite-ignore */ src)
      .then((m: { initAll?: () => void }) => m.initAll?.())
      .catch(() => {});
  }, []);
}

/**
 * The shell of an embeddable page: the design system's styles and the page, nothing else. No
 * scripts (it works without JavaScript and stays small inside another site's page).
 */
function EmbedDocument({ children }: { children: ReactNode }) {
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="rt-embed">{children}</body>
    </html>
  );
}

export default function App() {
  const { user } = useLoaderData<typeof loader>();
  const embed = useMatches().some((m) => (m.handle as { embed?: boolean } | undefined)?.embed === true);
  useNhsukFrontend();
  useListLinks();
  if (embed) {
    return (
      <EmbedDocument>
        <Outlet />
      </EmbedDocument>
    );
  }
  return (
    <Document user={user}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <Document user={data?.user ?? null}>
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent">
          <ErrorMessage error={error} />
        </main>
      </div>
    </Document>
  );
}

