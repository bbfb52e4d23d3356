import { ListLink } from "./ListLink";

export function Footer() {
  return (
    <footer role="contentinfo">
      <div className="nhsuk-footer" id="nhsuk-footer">
        <div className="nhsuk-width-container">
          <h2 className="nhsuk-u-visually-hidden">Support links</h2>
          <div className="nhsuk-footer__meta">
            <ul className="nhsuk-footer__list">
              <li className="nhsuk-footer__list-item">
                <ListLink className="nhsuk-footer__list-item-link" to="/accessibility">
                  Accessibility statement
                </ListLink>
              </li>
              <li className="nhsuk-footer__list-item">
                <ListLink className="nhsuk-footer__list-item-link" to="/privacy">
                  Privacy notice
                </ListLink>
              </li>
              <li className="nhsuk-footer__list-item">
                <ListLink className="nhsuk-footer__list-item-link" to="/contact">
                  Contact us
                </ListLink>
              </li>
              <li className="nhsuk-footer__list-item">
                <ListLink className="nhsuk-footer__list-item-link" to="/digest">
                  Email digest
                </ListLink>
              </li>
            </ul>
            <p className="nhsuk-body-s">Roundtable: regional social prescribing networks working together. Not an NHS service.</p>
          </div>
        </div>
      </div>
    </footer>
  );
}
