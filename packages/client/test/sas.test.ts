import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  FileSASPermissions,
  generateAccountSASQueryParameters,
  generateFileSASQueryParameters,
  ShareSASPermissions,
  StorageSharedKeyCredential,
} from "@azure/storage-file-share";
import {
  generateAccountSas,
  generateFileSas,
  generateShareSas,
  ShareClient,
  SharedKeyCredential,
  ShareFileClient,
  ShareServiceClient,
} from "../src/index.js";

const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const credential = new SharedKeyCredential("acct", KEY);
const start = new Date("2024-01-01T00:00:00.123Z");
const expiry = new Date("2024-01-02T12:30:00Z");
const hmac = (text: string) =>
  createHmac("sha256", Buffer.from(KEY, "base64")).update(text, "utf8").digest("base64");

describe("service SAS", () => {
  test("file SAS: hand-written string-to-sign, canonical permission order, token fields", () => {
    const token = generateFileSas(credential, {
      shareName: "docs",
      filePath: "dir/a b.txt",
      permission: "wr",
      start,
      expiry,
      ip: "10.0.0.1-10.0.0.9",
      protocol: "https",
      contentType: "text/plain",
    });
    const expectedStringToSign = [
      "rw",
      "2024-01-01T00:00:00Z",
      "2024-01-02T12:30:00Z",
      "/file/acct/docs/dir/a b.txt",
      "", // si
      "10.0.0.1-10.0.0.9",
      "https",
      "2026-06-06",
      "", // rscc
      "", // rscd
      "", // rsce
      "", // rscl
      "text/plain",
    ].join("\n");
    const params = new URLSearchParams(token);
    assert.equal(params.get("sig"), hmac(expectedStringToSign));
    assert.equal(params.get("sv"), "2026-06-06");
    assert.equal(params.get("sr"), "f");
    assert.equal(params.get("sp"), "rw");
    assert.equal(params.get("st"), "2024-01-01T00:00:00Z");
    assert.equal(params.get("se"), "2024-01-02T12:30:00Z");
    assert.equal(params.get("sip"), "10.0.0.1-10.0.0.9");
    assert.equal(params.get("spr"), "https");
    assert.equal(params.get("rsct"), "text/plain");
    assert.equal(params.has("si"), false);
  });

  test("share SAS with flags, or with only a stored policy", () => {
    const token = generateShareSas(credential, {
      shareName: "docs",
      permission: { list: true, read: true },
      expiry,
    });
    const params = new URLSearchParams(token);
    assert.equal(params.get("sp"), "rl");
    assert.equal(params.get("sr"), "s");
    assert.equal(
      params.get("sig"),
      hmac(
        [
          "rl",
          "",
          "2024-01-02T12:30:00Z",
          "/file/acct/docs",
          "",
          "",
          "",
          "2026-06-06",
          "",
          "",
          "",
          "",
          "",
        ].join("\n"),
      ),
    );
    const policy = new URLSearchParams(generateShareSas(credential, { shareName: "docs", policyId: "p1" }));
    assert.equal(policy.get("si"), "p1");
    assert.equal(policy.has("sp"), false);
    assert.throws(() => generateShareSas(credential, { shareName: "docs", permission: "r" }), RangeError);
    assert.throws(
      () => generateFileSas(credential, { shareName: "d", filePath: "f", permission: "l", expiry }),
      RangeError,
    );
  });

  test("signatures equal the official SDK's for the same values", () => {
    const official = new StorageSharedKeyCredential("acct", KEY);
    const ours = new URLSearchParams(
      generateFileSas(credential, {
        shareName: "docs",
        filePath: "dir/f.txt",
        permission: "rcwd",
        start,
        expiry,
      }),
    );
    const theirs = generateFileSASQueryParameters(
      {
        shareName: "docs",
        filePath: "dir/f.txt",
        permissions: FileSASPermissions.parse("rcwd"),
        startsOn: start,
        expiresOn: expiry,
        version: "2026-06-06",
      },
      official,
    );
    assert.equal(ours.get("sig"), theirs.signature);
    const shareOurs = new URLSearchParams(
      generateShareSas(credential, { shareName: "docs", permission: "rl", expiry, cacheControl: "no-cache" }),
    );
    const shareTheirs = generateFileSASQueryParameters(
      {
        shareName: "docs",
        permissions: ShareSASPermissions.parse("rl"),
        expiresOn: expiry,
        cacheControl: "no-cache",
        version: "2026-06-06",
      },
      official,
    );
    assert.equal(shareOurs.get("sig"), shareTheirs.signature);
    const accountOurs = new URLSearchParams(
      generateAccountSas(credential, { resourceTypes: "sco", permission: "rwdlc", expiry, start }),
    );
    const accountTheirs = generateAccountSASQueryParameters(
      {
        resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
        permissions: AccountSASPermissions.parse("rwdlc"),
        services: AccountSASServices.parse("f").toString(),
        startsOn: start,
        expiresOn: expiry,
        version: "2026-06-06",
      },
      official,
    );
    assert.equal(accountOurs.get("sig"), accountTheirs.signature);
  });
});

describe("account SAS", () => {
  test("string-to-sign has the encryption-scope line from 2020-12-06, not before", () => {
    const modern = new URLSearchParams(
      generateAccountSas(credential, { resourceTypes: "os", permission: "lr", expiry }),
    );
    assert.equal(modern.get("srt"), "so");
    assert.equal(modern.get("sp"), "rl");
    assert.equal(modern.get("ss"), "f");
    assert.equal(modern.get("sig"), hmac("acct\nrl\nf\nso\n\n2024-01-02T12:30:00Z\n\n\n2026-06-06\n\n"));
    const old = new URLSearchParams(
      generateAccountSas(credential, { resourceTypes: "o", permission: "r", expiry, version: "2019-02-02" }),
    );
    assert.equal(old.get("sig"), hmac("acct\nr\nf\no\n\n2024-01-02T12:30:00Z\n\n\n2019-02-02\n"));
    assert.throws(
      () => generateAccountSas(credential, { resourceTypes: "x", permission: "r", expiry }),
      RangeError,
    );
  });
});

describe("generateSasUrl on clients", () => {
  test("clients with an account key build SAS URLs; other clients refuse", () => {
    const file = new ShareFileClient("http://127.0.0.1:10004/acct/docs/d/f.txt", credential);
    const url = new URL(file.generateSasUrl({ permission: "r", expiry }));
    assert.equal(url.pathname, "/acct/docs/d/f.txt");
    assert.equal(url.searchParams.get("sr"), "f");
    const share = new ShareClient("https://acct.file.core.windows.net/docs", credential).withSnapshot(
      "2024-01-01T00:00:00.0000000Z",
    );
    const shareUrl = new URL(share.generateSasUrl({ permission: "rl", expiry }));
    assert.equal(shareUrl.searchParams.get("sharesnapshot"), "2024-01-01T00:00:00.0000000Z");
    assert.equal(shareUrl.searchParams.get("sr"), "s");
    const service = new ShareServiceClient("https://acct.file.core.windows.net", credential);
    assert.match(
      service.generateAccountSasUrl({ resourceTypes: "sco", permission: "rl", expiry }),
      /^https:\/\/acct\.file\.core\.windows\.net\/\?sv=/,
    );
    assert.throws(
      () =>
        new ShareFileClient("https://acct.file.core.windows.net/docs/f").generateSasUrl({
          permission: "r",
          expiry,
        }),
      TypeError,
    );
  });
});
