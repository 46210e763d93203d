import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { SharedKeyCredential } from "../src/credentials/shared-key-credential.js";
import type { PipelineRequest } from "../src/pipeline/request.js";
import {
  canonicalizedHeaders,
  canonicalizedResource,
  sharedKeyStringToSign,
} from "../src/signing/shared-key-string-to-sign.js";

// The expected strings below are written out by hand from the documented algorithm
// ("Authorize with Shared Key", File service, 2015-02-21+), not produced by the code under test.

const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const DATE = "Mon, 01 Jan 2024 00:00:00 GMT";

describe("SharedKey string-to-sign", () => {
  test("GET list shares, path-style: account appears twice in the resource, empty standard headers", () => {
    const headers = new Headers({
      "x-ms-date": DATE,
      "x-ms-version": "2026-06-06",
      "x-ms-client-request-id": "abc",
    });
    const actual = sharedKeyStringToSign(
      { method: "GET", url: new URL("http://127.0.0.1:10004/devstoreaccount1?comp=list"), headers },
      "devstoreaccount1",
    );
    const expected =
      "GET\n" + // verb
      "\n" + // Content-Encoding
      "\n" + // Content-Language
      "\n" + // Content-Length
      "\n" + // Content-MD5
      "\n" + // Content-Type
      "\n" + // Date (x-ms-date is used instead)
      "\n" + // If-Modified-Since
      "\n" + // If-Match
      "\n" + // If-None-Match
      "\n" + // If-Unmodified-Since
      "\n" + // Range
      "x-ms-client-request-id:abc\n" +
      "x-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\n" +
      "x-ms-version:2026-06-06\n" +
      "/devstoreaccount1/devstoreaccount1\n" +
      "comp:list";
    assert.equal(actual, expected);
  });

  test("PUT range with body, MD5, type, lease and metadata; encoded path kept; query sorted", () => {
    const headers = new Headers({
      "Content-MD5": "XUFAKrxLKna5cZ2REBfFkg==",
      "Content-Type": "application/octet-stream",
      "x-ms-write": "update",
      "x-ms-range": "bytes=0-10",
      "X-MS-Lease-Id": "11111111-2222-3333-4444-555555555555",
      "x-ms-meta-Note": "  two   spaces\tand tab ",
      "x-ms-date": DATE,
      "x-ms-version": "2026-06-06",
    });
    const url = new URL("https://acct.file.core.windows.net/share/dir%20a/f%C3%A9.txt?restype=x&comp=range");
    const actual = sharedKeyStringToSign({ method: "put", url, headers, contentLength: 11 }, "acct");
    const expected = [
      "PUT",
      "", // Content-Encoding
      "", // Content-Language
      "11", // Content-Length
      "XUFAKrxLKna5cZ2REBfFkg==",
      "application/octet-stream",
      "", // Date
      "",
      "",
      "",
      "",
      "", // Range (x-ms-range is a canonicalized header instead)
      "x-ms-date:Mon, 01 Jan 2024 00:00:00 GMT",
      "x-ms-lease-id:11111111-2222-3333-4444-555555555555",
      "x-ms-meta-note:two   spaces\tand tab", // trimmed, inner whitespace kept
      "x-ms-range:bytes=0-10",
      "x-ms-version:2026-06-06",
      "x-ms-write:update",
      "/acct/share/dir%20a/f%C3%A9.txt",
      "comp:range",
      "restype:x",
    ].join("\n");
    assert.equal(actual, expected);
  });

  test("a zero Content-Length signs as an empty line", () => {
    const headers = new Headers({ "x-ms-date": DATE });
    const actual = sharedKeyStringToSign(
      {
        method: "PUT",
        url: new URL("https://a.file.core.windows.net/s?restype=share"),
        headers,
        contentLength: 0,
      },
      "a",
    );
    assert.equal(actual, `PUT${"\n".repeat(12)}x-ms-date:${DATE}\n/a/s\nrestype:share`);
  });

  test("query values are decoded, names lower-cased, repeated names sorted and comma-joined", () => {
    const url = new URL("http://h/acct?prefix=a%2Fb&Include=snapshots&include=metadata&comp=list&marker=");
    assert.equal(
      canonicalizedResource(url, "acct"),
      "/acct/acct\ncomp:list\ninclude:metadata,snapshots\nmarker:\nprefix:a/b",
    );
  });

  test("host-style service URL keeps the slash path", () => {
    assert.equal(
      canonicalizedResource(
        new URL("https://acct.file.core.windows.net/?restype=service&comp=properties"),
        "acct",
      ),
      "/acct/\ncomp:properties\nrestype:service",
    );
  });

  test("only x-ms-* headers are canonicalized, sorted by lower-cased name", () => {
    const headers = new Headers({ "X-MS-B": "2", "x-ms-a": "1", Authorization: "x", "Content-Type": "t" });
    assert.equal(canonicalizedHeaders(headers), "x-ms-a:1\nx-ms-b:2\n");
  });

  test("SharedKeyCredential sets Authorization to the HMAC-SHA256 of the string-to-sign", () => {
    const request: PipelineRequest = {
      method: "DELETE",
      url: new URL("http://127.0.0.1:10004/devstoreaccount1/myshare?restype=share"),
      headers: new Headers({ "x-ms-date": DATE, "x-ms-version": "2026-06-06" }),
    };
    new SharedKeyCredential("devstoreaccount1", DEV_KEY).authorizeRequest(request);
    const stringToSign = `DELETE${"\n".repeat(12)}x-ms-date:${DATE}\nx-ms-version:2026-06-06\n/devstoreaccount1/devstoreaccount1/myshare\nrestype:share`;
    const signature = createHmac("sha256", Buffer.from(DEV_KEY, "base64"))
      .update(stringToSign, "utf8")
      .digest("base64");
    assert.equal(request.headers.get("authorization"), `SharedKey devstoreaccount1:${signature}`);
  });

  test("the credential signs the body length it is given", () => {
    const request: PipelineRequest = {
      method: "PUT",
      url: new URL("https://a.file.core.windows.net/s/f?comp=range"),
      headers: new Headers({ "x-ms-date": DATE }),
      body: new Uint8Array(5),
    };
    new SharedKeyCredential("a", DEV_KEY).authorizeRequest(request);
    const stringToSign = `PUT\n\n\n5${"\n".repeat(9)}x-ms-date:${DATE}\n/a/s/f\ncomp:range`;
    const signature = createHmac("sha256", Buffer.from(DEV_KEY, "base64"))
      .update(stringToSign, "utf8")
      .digest("base64");
    assert.equal(request.headers.get("authorization"), `SharedKey a:${signature}`);
  });

  test("an empty key is refused", () => {
    assert.throws(() => new SharedKeyCredential("a", ""), TypeError);
  });
});
