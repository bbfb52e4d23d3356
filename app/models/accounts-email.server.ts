/**
 * The accounts emails, reached from routes through this server-only module: the classic
 * compiler empties `.server` modules inside app/ for the browser, but not files in emails/,
 * so importing emails/ from a route would pull nodemailer into the browser bundle.
 */
export * from "../../emails/accounts.server";
