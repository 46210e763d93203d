import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildUrl, encodePathSegments, isPathStyleHost, parseUrl, splitPath } from "../src/urls.js";

describe("path-style detection", () => {
  test("IP literals, localhost and single-label hosts are path-style", () => {
    for (const host of ["127.0.0.1", "10.1.2.3", "[::1]", "localhost", "api.localhost", "sharelock"]) {
      assert.equal(isPathStyleHost(host), true, host);
    }
    for (const host of ["acct.file.core.windows.net", "files.example.com"]) {
      assert.equal(isPathStyleHost(host), false, host);
    }
  });

  test("a path-style file URL: account, share and path come from the path", () => {
    const parsed = parseUrl("http://127.0.0.1:10004/devstoreaccount1/share/dir/a%20b.txt", "resource");
    assert.deepEqual(parsed.endpoint, {
      origin: "http://127.0.0.1:10004",
      accountName: "devstoreaccount1",
      pathStyle: true,
    });
    assert.deepEqual(parsed.segments, ["share", "dir", "a b.txt"]);
  });

  test("a host-style file URL: account from the host", () => {
    const parsed = parseUrl(
      "https://myaccount.file.core.windows.net/documents/important_file.txt",
      "resource",
    );
    assert.deepEqual(parsed.endpoint, {
      origin: "https://myaccount.file.core.windows.net",
      accountName: "myaccount",
      pathStyle: false,
    });
    assert.deepEqual(parsed.segments, ["documents", "important_file.txt"]);
  });

  test("a custom host is path-style only when the first segment is the known account", () => {
    const withHint = parseUrl("http://files.example.com/acct/share/f", "resource", { accountName: "acct" });
    assert.equal(withHint.endpoint.pathStyle, true);
    assert.deepEqual(withHint.segments, ["share", "f"]);
    const shareNamedLikeAccount = parseUrl("https://acct.file.core.windows.net/acct/f", "resource", {
      accountName: "acct",
    });
    assert.equal(shareNamedLikeAccount.endpoint.pathStyle, false);
    assert.deepEqual(shareNamedLikeAccount.segments, ["acct", "f"]);
    const noHint = parseUrl("http://files.example.com/acct/share/f", "resource");
    assert.equal(noHint.endpoint.pathStyle, false);
    assert.equal(noHint.endpoint.accountName, "files");
  });

  test("a service URL with a path is path-style on any host; the pathStyle option wins", () => {
    const service = parseUrl("http://files.example.com:8080/acct", "service");
    assert.equal(service.endpoint.pathStyle, true);
    assert.equal(service.endpoint.accountName, "acct");
    assert.deepEqual(service.segments, []);
    const forced = parseUrl("http://127.0.0.1:10004/share/f", "resource", {
      pathStyle: false,
      accountName: "a",
    });
    assert.equal(forced.endpoint.pathStyle, false);
    assert.deepEqual(forced.segments, ["share", "f"]);
  });

  test("SAS query and sharesnapshot are split off", () => {
    const parsed = parseUrl(
      "https://a.file.core.windows.net/s/f?sv=2026-06-06&sharesnapshot=2024-01-01T00%3A00%3A00.0000000Z&sig=ab%2Bc",
      "resource",
    );
    assert.equal(parsed.snapshot, "2024-01-01T00:00:00.0000000Z");
    assert.equal(parsed.sasToken, "sv=2026-06-06&sig=ab%2Bc");
    assert.equal(parseUrl("https://a.file.core.windows.net/s?foo=1", "resource").sasToken, undefined);
  });

  test("non-http URLs are refused", () => {
    assert.throws(() => parseUrl("ftp://a/b", "resource"), TypeError);
    assert.throws(() => parseUrl("not a url", "resource"), TypeError);
  });
});

describe("URL building", () => {
  const pathStyle = { origin: "http://127.0.0.1:10004", accountName: "devstoreaccount1", pathStyle: true };
  const hostStyle = { origin: "https://acct.file.core.windows.net", accountName: "acct", pathStyle: false };

  test("segments are encoded one by one with encodeURIComponent, '/' kept between them", () => {
    assert.equal(encodePathSegments(["dir a", "ü?#%", "x/y"]), "/dir%20a/%C3%BC%3F%23%25/x%2Fy");
    assert.deepEqual(splitPath("/a//b/c/"), ["a", "b", "c"]);
  });

  test("path-style URLs carry the account segment", () => {
    assert.equal(buildUrl(pathStyle, []).toString(), "http://127.0.0.1:10004/devstoreaccount1");
    assert.equal(
      buildUrl(pathStyle, ["share", "dir", "f.txt"], { comp: "lease" }).toString(),
      "http://127.0.0.1:10004/devstoreaccount1/share/dir/f.txt?comp=lease",
    );
  });

  test("host-style URLs do not; query keeps order, skips undefined and encodes values", () => {
    assert.equal(buildUrl(hostStyle, []).toString(), "https://acct.file.core.windows.net/");
    assert.equal(
      buildUrl(hostStyle, ["s"], { restype: "share", comp: "lease", sharesnapshot: undefined }).toString(),
      "https://acct.file.core.windows.net/s?restype=share&comp=lease",
    );
    assert.equal(
      buildUrl(hostStyle, ["s"], { prefix: "a b&c", include: "Timestamps,Etag" }).search,
      "?prefix=a%20b%26c&include=Timestamps%2CEtag",
    );
  });

  test("the URL pathname is exactly the encoded segments (what gets signed)", () => {
    const url = buildUrl(pathStyle, ["s", "naïve file (1).txt"]);
    assert.equal(url.pathname, "/devstoreaccount1/s/na%C3%AFve%20file%20(1).txt");
  });
});
