import { layoutFor, type SasLayout } from "./sas-layout.js";
import type { SasParams } from "./sas-params.js";

/** A field of the File service SAS string-to-sign: the canonicalized resource or a query field. */
export type FileServiceSasField =
  | "sp"
  | "st"
  | "se"
  | "canonicalizedResource"
  | "si"
  | "sip"
  | "spr"
  | "sv"
  | "rscc"
  | "rscd"
  | "rsce"
  | "rscl"
  | "rsct";

/**
 * File service SAS layouts, newest first ("Create a service SAS", Azure Files). One layout covers
 * 2015-04-05 up to the newest version: the later additions to the service SAS — signedResource and
 * signedSnapshotTime (2018-11-09), signedEncryptionScope (2020-12-06) — are Blob-only, and the
 * 2025-07-05 delegated-user fields belong to user-delegation SAS, which is signed with a different
 * key. Fields are joined by "\n" with no trailing newline.
 */
export const FILE_SERVICE_SAS_LAYOUTS: readonly SasLayout<FileServiceSasField>[] = [
  {
    since: "2015-04-05",
    fields: [
      "sp",
      "st",
      "se",
      "canonicalizedResource",
      "si",
      "sip",
      "spr",
      "sv",
      "rscc",
      "rscd",
      "rsce",
      "rscl",
      "rsct",
    ],
  },
];

/**
 * The canonicalized resource of a File service SAS: `/file/<account>/<share>` for a share SAS,
 * `/file/<account>/<share>/<dir…>/<file>` for a file SAS (decoded names, as the SDKs sign them).
 */
export function fileCanonicalResource(account: string, share: string, path: readonly string[]): string {
  return `/file/${account}/${share}${path.map((segment) => `/${segment}`).join("")}`;
}

/** The File service SAS string-to-sign for `params` (URL-decoded values, absent ones as ""). */
export function fileServiceSasStringToSign(canonicalizedResource: string, params: SasParams): string {
  const layout = layoutFor(FILE_SERVICE_SAS_LAYOUTS, params.sv);
  return layout.fields
    .map((field) => (field === "canonicalizedResource" ? canonicalizedResource : (params[field] ?? "")))
    .join("\n");
}
