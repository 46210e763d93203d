import { layoutFor, type SasLayout } from "./sas-layout.js";
import type { SasParams } from "./sas-params.js";

/** A field of the account SAS string-to-sign: the account name or a query field. */
export type AccountSasField = "account" | "sp" | "ss" | "srt" | "st" | "se" | "sip" | "spr" | "sv" | "ses";

/**
 * Account SAS layouts, newest first ("Create an account SAS"): 2020-12-06 added the signed
 * encryption scope (`ses`, empty for Azure Files). Every field, the last included, ends in "\n".
 */
export const ACCOUNT_SAS_LAYOUTS: readonly SasLayout<AccountSasField>[] = [
  { since: "2020-12-06", fields: ["account", "sp", "ss", "srt", "st", "se", "sip", "spr", "sv", "ses"] },
  { since: "2015-04-05", fields: ["account", "sp", "ss", "srt", "st", "se", "sip", "spr", "sv"] },
];

/** The account SAS string-to-sign for `params` (URL-decoded values, absent ones as ""). */
export function accountSasStringToSign(account: string, params: SasParams): string {
  const layout = layoutFor(ACCOUNT_SAS_LAYOUTS, params.sv);
  let out = "";
  for (const field of layout.fields) out += `${field === "account" ? account : (params[field] ?? "")}\n`;
  return out;
}
