import { Form, NavLink } from "@remix-run/react";
import { ListLink } from "./ListLink";

export const NAV_ITEMS = [
  { to: "/events", label: "Events" },
  { to: "/resources", label: "Resources" },
  { to: "/organisations", label: "Organisations" },
  { to: "/discussions", label: "Discussions" },
  { to: "/networks", label: "Networks" },
] as const;

/** Roundtable's own wordmark: a table with six seats. Never the NHS logo. */
export function Wordmark() {
  return (
    <svg className="rt-wordmark__icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="36" height="36" aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="9" fill="none" stroke="currentColor" strokeWidth="3" />
      {[0, 60, 120, 180, 240, 300].map((deg) => {
        const rad = (deg * Math.PI) / 180;
        return <circle key={deg} cx={20 + 15.5 * Math.cos(rad)} cy={20 + 15.5 * Math.sin(rad)} r="3.2" fill="currentColor" />;
      })}
    </svg>
  );
}

export function Header({ user }: { user: { name: string; unread: number } | null }) {
  return (
    <header className="nhsuk-header" role="banner" data-module="nhsuk-header">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <ListLink className="nhsuk-header__service-logo rt-wordmark" to="/" aria-label="Roundtable homepage">
            <Wordmark />
            <span className="nhsuk-header__service-name rt-wordmark__text">Roundtable</span>
          </ListLink>
        </div>
        <search className="nhsuk-header__search">
          <form className="nhsuk-header__search-form" id="search" action="/search" method="get" noValidate>
            <div className="nhsuk-form-group">
              <label className="nhsuk-label nhsuk-u-visually-hidden" htmlFor="search-field">
                Search Roundtable
              </label>
              <div className="nhsuk-input-wrapper">
                <input className="nhsuk-input" id="search-field" name="q" type="search" autoComplete="off" placeholder="Search Roundtable" />
                <button className="nhsuk-button nhsuk-button--small" data-module="nhsuk-button" type="submit" aria-label="Search">
                  <svg className="nhsuk-icon nhsuk-icon--search" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                    <path d="m20.7 19.3-4.1-4.1a7 7 0 1 0-1.4 1.4l4 4.1a1 1 0 0 0 1.5 0c.4-.4.4-1 0-1.4ZM6 11a5 5 0 1 1 10 0 5 5 0 0 1-10 0Z" />
                  </svg>
                </button>
              </div>
            </div>
          </form>
        </search>
        <nav className="nhsuk-header__account" aria-label="Account">
          <ul className="nhsuk-header__account-list">
            {user ? (
              <>
                <li className="nhsuk-header__account-item">
                  <ListLink className="nhsuk-header__account-link" to="/account">
                    {user.name}
                  </ListLink>
                </li>
                <li className="nhsuk-header__account-item">
                  <ListLink className="nhsuk-header__account-link" to="/notifications">
                    Notifications
                    {user.unread > 0 ? (
                      <span className="rt-count">
                        {user.unread > 99 ? "99+" : user.unread}
                        <span className="nhsuk-u-visually-hidden"> unread</span>
                      </span>
                    ) : null}
                  </ListLink>
                </li>
                <li className="nhsuk-header__account-item">
                  <Form className="nhsuk-header__account-form" method="post" action="/sign-out">
                    <button className="nhsuk-header__account-button" type="submit">
                      Sign out
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li className="nhsuk-header__account-item">
                  <ListLink className="nhsuk-header__account-link" to="/sign-in">
                    Sign in
                  </ListLink>
                </li>
                <li className="nhsuk-header__account-item">
                  <ListLink className="nhsuk-header__account-link" to="/sign-up">
                    Create an account
                  </ListLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
      <nav className="nhsuk-header__navigation" aria-label="Menu">
        <div className="nhsuk-header__navigation-container nhsuk-width-container">
          <ul className="nhsuk-header__navigation-list">
            {NAV_ITEMS.map((item) => (
              <li key={item.to} className="nhsuk-header__navigation-item">
                <NavLink className="nhsuk-header__navigation-link" to={item.to} prefetch="intent">
                  {item.label}
                </NavLink>
              </li>
            ))}
            <li className="nhsuk-header__menu" hidden>
              <button className="nhsuk-header__menu-toggle nhsuk-header__navigation-link" id="toggle-menu" aria-expanded="false" type="button">
                <span className="nhsuk-u-visually-hidden">Browse </span>More
              </button>
            </li>
          </ul>
        </div>
      </nav>
    </header>
  );
}
