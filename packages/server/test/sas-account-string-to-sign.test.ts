import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import {
  AccountSASPermissions,
  generateAccountSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from "@azure/storage-file-share";
import { DEV_ACCOUNT_KEY } from "../src/auth/accounts.js";
import { ACCOUNT_SAS_LAYOUTS, accountSasStringToSign } from "../src/auth/sas/account-sas-string-to-sign.js";
import { parseSasParams } from "../src/auth/sas/sas-params.js";
import type { StorageError } from "../src/errors/storage-error.js";

const mac = (s: string) =>
  createHmac("sha256", Buffer.from(DEV_ACCOUNT_KEY, "base64")).update(s).digest("base64");

// Every expected string below is written out by hand from "Create an account SAS":
//   2015-04-05 … 2020-12-05: account \n sp \n ss \n srt \n st \n se \n sip \n spr \n sv \n
//   2020-12-06 and later:    account \n sp \n ss \n srt \n st \n se \n sip \n spr \n sv \n ses \n
// (every field, the last one included, ends in a newline).

const ACCOUNT = "devstoreaccount1";

/** A query string as an SDK would send it (values percent-encoded). */
function query(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
}

const full = {
  sp: "rwdlc",
  ss: "bf",
  srt: "sco",
  st: "2026-01-01T00:00:00Z",
  se: "2026-01-02T08:30:00Z",
  sip: "10.0.0.1-10.0.0.255",
  spr: "https,http",
  sig: "x",
};

const PRE_SES: Array<[string, string]> = [
  [
    "2015-04-05",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2015-04-05\n",
  ],
  [
    "2018-11-09",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2018-11-09\n",
  ],
  [
    "2019-12-12",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2019-12-12\n",
  ],
  [
    "2020-10-02",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2020-10-02\n",
  ],
];

const WITH_SES: Array<[string, string]> = [
  [
    "2020-12-06",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2020-12-06\n\n",
  ],
  [
    "2021-12-02",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2021-12-02\n\n",
  ],
  [
    "2025-11-05",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2025-11-05\n\n",
  ],
  [
    "2026-06-06",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2026-06-06\n\n",
  ],
  // Newer than this server knows: the newest layout.
  [
    "2027-03-01",
    "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2027-03-01\n\n",
  ],
];

describe("account SAS string-to-sign", () => {
  for (const [sv, expected] of [...PRE_SES, ...WITH_SES]) {
    test(`sv=${sv}: the documented layout`, () => {
      const params = parseSasParams(query({ sv, ...full }));
      assert.equal(accountSasStringToSign(ACCOUNT, params), expected);
    });
  }

  test("2020-12-06+: a non-empty ses is signed in its own line", () => {
    const params = parseSasParams(query({ sv: "2020-12-06", ...full, ses: "myscope" }));
    assert.equal(
      accountSasStringToSign(ACCOUNT, params),
      "devstoreaccount1\nrwdlc\nbf\nsco\n2026-01-01T00:00:00Z\n2026-01-02T08:30:00Z\n10.0.0.1-10.0.0.255\nhttps,http\n2020-12-06\nmyscope\n",
    );
  });

  test("before 2020-12-06 a ses parameter is not signed", () => {
    const params = parseSasParams(query({ sv: "2020-10-02", ...full, ses: "myscope" }));
    assert.equal(accountSasStringToSign(ACCOUNT, params), PRE_SES[3]?.[1]);
  });

  test("absent optional fields are empty lines", () => {
    const params = parseSasParams(
      query({ sv: "2026-06-06", sp: "l", ss: "f", srt: "s", se: "2026-01-02", sig: "x" }),
    );
    assert.equal(
      accountSasStringToSign(ACCOUNT, params),
      "devstoreaccount1\nl\nf\ns\n\n2026-01-02\n\n\n2026-06-06\n\n",
    );
    const old = parseSasParams(
      query({ sv: "2019-02-02", sp: "l", ss: "f", srt: "s", se: "2026-01-02", sig: "x" }),
    );
    assert.equal(
      accountSasStringToSign(ACCOUNT, old),
      "devstoreaccount1\nl\nf\ns\n\n2026-01-02\n\n\n2019-02-02\n",
    );
  });

  test("values are signed URL-decoded", () => {
    const raw =
      "sv=2026-06-06&sp=rl&ss=f&srt=co&st=2026-01-01T00%3A00%3A00Z&se=2026-01-02T00%3A00%3A00Z&spr=https%2Chttp&sig=x";
    assert.equal(
      accountSasStringToSign(ACCOUNT, parseSasParams(raw)),
      "devstoreaccount1\nrl\nf\nco\n2026-01-01T00:00:00Z\n2026-01-02T00:00:00Z\n\nhttps,http\n2026-06-06\n\n",
    );
  });

  for (const sv of ["2019-12-12", "2026-06-06"]) {
    test(`sv=${sv}: the official SDK signs the same hand-written string`, () => {
      const start = new Date("2026-01-01T00:00:00Z");
      const expiry = new Date("2030-01-01T00:00:00Z");
      const handWritten =
        sv < "2020-12-06"
          ? `devstoreaccount1\nrl\nf\nco\n2026-01-01T00:00:00Z\n2030-01-01T00:00:00Z\n\nhttps,http\n${sv}\n`
          : `devstoreaccount1\nrl\nf\nco\n2026-01-01T00:00:00Z\n2030-01-01T00:00:00Z\n\nhttps,http\n${sv}\n\n`;
      const sdk = generateAccountSASQueryParameters(
        {
          version: sv,
          permissions: AccountSASPermissions.parse("rl"),
          services: "f",
          resourceTypes: "co",
          startsOn: start,
          expiresOn: expiry,
          protocol: SASProtocol.HttpsAndHttp,
        },
        new StorageSharedKeyCredential(ACCOUNT, DEV_ACCOUNT_KEY),
      );
      assert.equal(sdk.signature, mac(handWritten));
      assert.equal(accountSasStringToSign(ACCOUNT, parseSasParams(sdk.toString())), handWritten);
    });
  }

  for (const sv of ["2015-02-21", "2014-02-14", "2013-08-15"]) {
    test(`sv=${sv} (before account SAS existed) is refused with 403 AuthenticationFailed`, () => {
      const params = parseSasParams(query({ sv, ...full }));
      assert.throws(
        () => accountSasStringToSign(ACCOUNT, params),
        (e: StorageError) => e.status === 403 && e.code === "AuthenticationFailed",
      );
    });
  }

  test("a malformed sv is refused", () => {
    assert.throws(
      () => accountSasStringToSign(ACCOUNT, parseSasParams(query({ sv: "latest", ...full }))),
      (e: StorageError) => e.code === "AuthenticationFailed",
    );
  });

  test("the layout table is ordered newest first", () => {
    const since = ACCOUNT_SAS_LAYOUTS.map((l) => l.since);
    assert.deepEqual(since, [...since].sort().reverse());
  });
});
