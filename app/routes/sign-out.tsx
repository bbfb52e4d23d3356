import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { flashCookie } from "~/utils/flash.server";
import { logout } from "~/utils/auth.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const headers = new Headers();
  headers.append("Set-Cookie", await logout(request));
  headers.append("Set-Cookie", flashCookie("You have signed out.", "info"));
  return redirect("/", { headers });
}
