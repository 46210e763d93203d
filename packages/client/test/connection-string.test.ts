import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConnectionString } from "../src/connection-string.js";
import { connectionTarget } from "../src/connection-target.js";
import { SasCredential } from "../src/credentials/sas-credential.js";
import { SharedKeyCredential } from "../src/credentials/shared-key-credential.js";

const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

describe("parseConnectionString", () => {
  test("path-style FileEndpoint is kept with its account segment", () => {
    const parts = parseConnectionString(
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};FileEndpoint=http://127.0.0.1:10004/devstoreaccount1;`,
    );
    assert.deepEqual(parts, {
      accountName: "devstoreaccount1",
      accountKey: KEY,
      sasToken: undefined,
      fileEndpoint: "http://127.0.0.1:10004/devstoreaccount1",
    });
  });

  test("without FileEndpoint the Azure endpoint is built from protocol, name and suffix", () => {
    const parts = parseConnectionString(
      "DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn",
    );
    assert.equal(parts.fileEndpoint, "https://myaccount.file.core.chinacloudapi.cn");
    assert.equal(
      parseConnectionString("AccountName=myaccount;AccountKey=a2V5").fileEndpoint,
      "https://myaccount.file.core.windows.net",
    );
  });

  test("keys are case-insensitive and values may contain '='", () => {
    const parts = parseConnectionString("accountname=acct;ACCOUNTKEY=abc==;fileendpoint=https://x.example/;");
    assert.equal(parts.accountName, "acct");
    assert.equal(parts.accountKey, "abc==");
    assert.equal(parts.fileEndpoint, "https://x.example");
  });

  test("SharedAccessSignature is taken without a leading '?'", () => {
    const parts = parseConnectionString(
      "FileEndpoint=https://acct.file.core.windows.net;SharedAccessSignature=?sv=2026-06-06&sig=abc%2B",
    );
    assert.equal(parts.sasToken, "sv=2026-06-06&sig=abc%2B");
    assert.equal(parts.accountKey, undefined);
  });

  test("UseDevelopmentStorage=true means the local Sharelock account", () => {
    const parts = parseConnectionString("UseDevelopmentStorage=true");
    assert.equal(parts.fileEndpoint, "http://127.0.0.1:10004/devstoreaccount1");
    assert.equal(parts.accountName, "devstoreaccount1");
    assert.equal(parts.accountKey, KEY);
  });

  test("malformed strings are refused", () => {
    assert.throws(() => parseConnectionString("AccountKey=abc"), TypeError);
    assert.throws(() => parseConnectionString("garbage"), TypeError);
    assert.throws(
      () => parseConnectionString("FileEndpoint=http://127.0.0.1:10004/acct;AccountKey=abc"),
      TypeError,
    );
  });
});

describe("connectionTarget", () => {
  test("path-style endpoint: resource URLs keep the account segment; credential is SharedKey", () => {
    const target = connectionTarget(
      `AccountName=devstoreaccount1;AccountKey=${KEY};FileEndpoint=http://127.0.0.1:10004/devstoreaccount1`,
      "myshare",
      "dir/a b.txt",
    );
    assert.equal(target.url, "http://127.0.0.1:10004/devstoreaccount1/myshare/dir/a%20b.txt");
    assert.ok(target.credential instanceof SharedKeyCredential);
    assert.equal(target.credential.accountName, "devstoreaccount1");
    assert.equal(target.options.pathStyle, true);
  });

  test("custom host with the account as first path segment is path-style", () => {
    const target = connectionTarget(
      `AccountName=acct;AccountKey=${KEY};FileEndpoint=http://files.example.com:8080/acct`,
      "s",
      undefined,
    );
    assert.equal(target.url, "http://files.example.com:8080/acct/s");
    assert.equal(target.options.pathStyle, true);
  });

  test("Azure endpoint is host-style", () => {
    const target = connectionTarget(`AccountName=acct;AccountKey=${KEY}`, "s", "f.txt");
    assert.equal(target.url, "https://acct.file.core.windows.net/s/f.txt");
    assert.equal(target.options.pathStyle, false);
    assert.equal(target.options.accountName, "acct");
  });

  test("SAS connection string gives a SasCredential; no key and no SAS gives none", () => {
    const sas = connectionTarget(
      "FileEndpoint=https://acct.file.core.windows.net;SharedAccessSignature=sv=1&sig=x",
      "s",
      undefined,
    );
    assert.ok(sas.credential instanceof SasCredential);
    assert.equal(sas.credential.token, "sv=1&sig=x");
    const anonymous = connectionTarget(
      "FileEndpoint=https://acct.file.core.windows.net",
      undefined,
      undefined,
    );
    assert.equal(anonymous.credential, undefined);
    assert.equal(anonymous.url, "https://acct.file.core.windows.net/");
  });
});
