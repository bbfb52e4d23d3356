import type { Generated } from "kysely";
import type { NetworkRole } from "./foundation";

export type EmailTokenPurpose = "verify-email" | "reset-password";

export interface EmailTokenTable {
  /** SHA-256 (hex) of the token in the emailed link. */
  token_hash: string;
  purpose: EmailTokenPurpose;
  account_id: string;
  /** The address the link was sent to: a verification counts only while the account still has it. */
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface InvitationTable {
  id: Generated<number>;
  token_hash: string;
  network_id: number;
  /** The invited address: only an account with this address may accept. */
  email: string;
  role: NetworkRole;
  invited_by_account_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  accepted_by_account_id: string | null;
}

export interface RecoveryCodeTable {
  account_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** A platform admin's action on someone else's account, kept for audit. */
export interface AdminActionTable {
  id: Generated<number>;
  admin_account_id: string | null;
  target_account_id: string | null;
  action: "reset-two-step";
  note: string | null;
  created_at: string;
}

export interface AccountsTables {
  admin_action: AdminActionTable;
  email_token: EmailTokenTable;
  invitation: InvitationTable;
  recovery_code: RecoveryCodeTable;
}
