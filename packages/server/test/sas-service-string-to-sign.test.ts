import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import {
  FileSASPermissions,
  generateFileSASQueryParameters,
  SASProtocol,
  ShareSASPermissions,
  StorageSharedKeyCredential,
} from "@azure/storage-file-share";
import { DEV_ACCOUNT_KEY } from "../src/auth/accounts.js";
import { parseSasParams } from "../src/auth/sas/sas-params.js";
import {
  FILE_SERVICE_SAS_LAYOUTS,
  fileCanonicalResource,
  fileServiceSasStringToSign,
} from "../src/auth/sas/service-sas-string-to-sign.js";
import type { StorageError } from "../src/errors/storage-error.js";

// Expected strings are written out by hand from "Create a service SAS" for Azure Files
// (2015-04-05 and later, 13 fields joined by "\n", no trailing newline):
//   sp \n st \n se \n /file/<account>/<share>[/<path>] \n si \n sip \n spr \n sv \n rscc \n rscd \n rsce \n rscl \n rsct
// The Blob-only fields of later versions (signedResource and signedSnapshotTime from 2018-11-09,
// signedEncryptionScope from 2020-12-06) never appear in a File SAS.

const ACCOUNT = "devstoreaccount1";
const mac = (s: string) =>
  createHmac("sha256", Buffer.from(DEV_ACCOUNT_KEY, "base64")).update(s).digest("base64");

function query(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
}

const VERSIONS = [
  "2015-04-05",
  "2017-07-29",
  "2018-11-09",
  "2020-12-06",
  "2025-07-05",
  "2026-06-06",
  "2027-01-01",
];

describe("File service SAS canonicalized resource", () => {
  test("share: /file/<account>/<share>", () => {
    assert.equal(fileCanonicalResource("acct", "myshare", []), "/file/acct/myshare");
  });
  test("file: the decoded path below the share", () => {
    assert.equal(
      fileCanonicalResource("acct", "myshare", ["dir one", "sub", "ä+b.txt"]),
      "/file/acct/myshare/dir one/sub/ä+b.txt",
    );
  });
});

describe("File service SAS string-to-sign", () => {
  for (const sv of VERSIONS) {
    test(`sv=${sv}: share SAS with every optional field`, () => {
      const params = parseSasParams(
        query({
          sv,
          sr: "s",
          sp: "rcwdl",
          st: "2026-01-01T00:00:00Z",
          se: "2026-01-02T00:00:00Z",
          si: "policy-1",
          sip: "127.0.0.1",
          spr: "https",
          rscc: "no-cache",
          rscd: "attachment; filename=a.txt",
          rsce: "gzip",
          rscl: "en-GB",
          rsct: "text/plain",
          sig: "x",
        }),
      );
      const expected = `rcwdl\n2026-01-01T00:00:00Z\n2026-01-02T00:00:00Z\n/file/devstoreaccount1/myshare\npolicy-1\n127.0.0.1\nhttps\n${sv}\nno-cache\nattachment; filename=a.txt\ngzip\nen-GB\ntext/plain`;
      assert.equal(fileServiceSasStringToSign("/file/devstoreaccount1/myshare", params), expected);
    });

    test(`sv=${sv}: file SAS with only permissions and expiry`, () => {
      const params = parseSasParams(query({ sv, sr: "f", sp: "r", se: "2026-01-02T00:00:00Z", sig: "x" }));
      const expected = `r\n\n2026-01-02T00:00:00Z\n/file/devstoreaccount1/myshare/dir/file.txt\n\n\n\n${sv}\n\n\n\n\n`;
      assert.equal(
        fileServiceSasStringToSign(fileCanonicalResource(ACCOUNT, "myshare", ["dir", "file.txt"]), params),
        expected,
      );
    });
  }

  test("a stored-policy SAS signs only what it carries (here: si alone)", () => {
    const params = parseSasParams(query({ sv: "2026-06-06", sr: "s", si: "readers", sig: "x" }));
    assert.equal(
      fileServiceSasStringToSign("/file/devstoreaccount1/s1", params),
      "\n\n\n/file/devstoreaccount1/s1\nreaders\n\n\n2026-06-06\n\n\n\n\n",
    );
  });

  test("fields the File layout does not have (sr, ses, snapshot) are never signed", () => {
    const plain = parseSasParams(query({ sv: "2026-06-06", sr: "f", sp: "r", se: "2030-01-01", sig: "x" }));
    const extra = parseSasParams(
      query({ sv: "2026-06-06", sr: "f", sp: "r", se: "2030-01-01", ses: "scope", sig: "x" }),
    );
    assert.equal(
      fileServiceSasStringToSign("/file/a/s/f", extra),
      fileServiceSasStringToSign("/file/a/s/f", plain),
    );
  });

  for (const sv of ["2015-02-21", "2014-02-14"]) {
    test(`sv=${sv} is refused with 403 AuthenticationFailed`, () => {
      const params = parseSasParams(query({ sv, sr: "s", sp: "r", se: "2030-01-01", sig: "x" }));
      assert.throws(
        () => fileServiceSasStringToSign("/file/a/s", params),
        (e: StorageError) => e.status === 403 && e.code === "AuthenticationFailed",
      );
    });
  }

  test("one layout covers 2015-04-05 onwards", () => {
    assert.deepEqual(
      FILE_SERVICE_SAS_LAYOUTS.map((l) => l.since),
      ["2015-04-05"],
    );
  });
});

describe("the official SDK signs the same hand-written strings", () => {
  const credential = new StorageSharedKeyCredential(ACCOUNT, DEV_ACCOUNT_KEY);
  for (const sv of ["2015-04-05", "2020-12-06", "2026-06-06"]) {
    test(`sv=${sv}: file SAS with overrides`, () => {
      const sdk = generateFileSASQueryParameters(
        {
          version: sv,
          shareName: "myshare",
          filePath: "dir/file.txt",
          permissions: FileSASPermissions.parse("rw"),
          startsOn: new Date("2026-01-01T00:00:00Z"),
          expiresOn: new Date("2026-01-02T00:00:00Z"),
          ipRange: { start: "10.0.0.1", end: "10.0.0.9" },
          protocol: SASProtocol.HttpsAndHttp,
          cacheControl: "no-cache",
          contentType: "text/plain",
        },
        credential,
      );
      const handWritten = `rw\n2026-01-01T00:00:00Z\n2026-01-02T00:00:00Z\n/file/devstoreaccount1/myshare/dir/file.txt\n\n10.0.0.1-10.0.0.9\nhttps,http\n${sv}\nno-cache\n\n\n\ntext/plain`;
      assert.equal(sdk.signature, mac(handWritten));
      const params = parseSasParams(sdk.toString());
      assert.equal(
        fileServiceSasStringToSign(fileCanonicalResource(ACCOUNT, "myshare", ["dir", "file.txt"]), params),
        handWritten,
      );
    });

    test(`sv=${sv}: share SAS by stored policy`, () => {
      const sdk = generateFileSASQueryParameters(
        { version: sv, shareName: "myshare", identifier: "p1", permissions: ShareSASPermissions.parse("l") },
        credential,
      );
      const handWritten = `l\n\n\n/file/devstoreaccount1/myshare\np1\n\n\n${sv}\n\n\n\n\n`;
      assert.equal(sdk.signature, mac(handWritten));
    });
  }
});
