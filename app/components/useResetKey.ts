import { useEffect, useState } from "react";

/**
 * A key that changes each time a form's action answers, so password fields (given this
 * key) are re-created empty: what the user typed is kept, their password never is.
 * Without JavaScript the server's page already leaves password fields empty.
 */
export function useResetKey(actionData: unknown): string {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (actionData) setN((x) => x + 1);
  }, [actionData]);
  return `reset-${n}`;
}
