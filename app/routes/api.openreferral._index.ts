import { orukJson, ORUK_VERSION } from "~/models/openreferral.server";

/** Open Referral UK: what this API is. */
export async function loader() {
  return orukJson({
    version: ORUK_VERSION,
    profile: "https://github.com/OpenReferralUK/uk-profile",
    openapi_url: "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json",
  });
}
