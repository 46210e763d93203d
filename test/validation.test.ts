import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { errorCode, errorDetail, type RawResponse, rawRequest } from "./helpers/raw-http.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let s: string;
let share: ShareClient;

before(async () => {
  ts = await startTestServer();
  s = uniqueShareName("valid");
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(s);
  await share.create();
  await share.getDirectoryClient("d").create();
  await share.rootDirectoryClient.getFileClient("f.bin").create(4096);
});
after(async () => ts.dispose());

function send(
  method: string,
  path: string,
  headers: Record<string, string | null> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  return rawRequest({
    endpoint: ts.endpoint,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    method,
    path: `/${ts.accountName}${path}`,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

/** Azure's error answer: status, `x-ms-error-code`, and the same code in an XML `<Error>` body. */
function assertError(res: RawResponse, status: number, code: string, what: string): void {
  assert.equal(res.status, status, `${what}: status (body ${res.body.slice(0, 300)})`);
  assert.equal(res.headers["x-ms-error-code"], code, `${what}: x-ms-error-code`);
  assert.equal(res.headers["content-type"], "application/xml", `${what}: content-type`);
  assert.match(res.body, /^\uFEFF?<\?xml version="1\.0" encoding="utf-8"\?><Error><Code>/, what);
  assert.equal(errorCode(res.body), code, `${what}: <Code>`);
  assert.match(res.body, /<Message>[^<]+RequestId:[0-9a-f-]+\nTime:\d{4}-/, `${what}: <Message>`);
}

type Case = [what: string, method: string, path: string, headers: Record<string, string>, body?: string];

async function expectAll(cases: Case[], status: number, code: string): Promise<void> {
  for (const [what, method, path, headers, body] of cases) {
    assertError(await send(method, path, headers, body), status, code, what);
  }
}

describe("names", () => {
  test("invalid share names: 400 InvalidResourceName", async () => {
    const bad = ["AB", "ab", "a--b", "-ab", "ab-", "a".repeat(64), "a_b", "a.b", "sh%C3%A4re"];
    await expectAll(
      bad.map((n) => [`share ${n}`, "PUT", `/${n}?restype=share`, {}]),
      400,
      "InvalidResourceName",
    );
    // The edges of the rule are accepted.
    for (const good of ["abc", "a".repeat(63), "a-b-c", "0ab"]) {
      const res = await send("PUT", `/${good}?restype=share`);
      assert.ok(res.status === 201 || res.status === 409, `${good}: ${res.status}`);
    }
  });

  test("invalid directory and file names: 400 InvalidResourceName", async () => {
    const bad = [
      "a%22b", // "
      "a%5Cb", // \
      "a%3Ab", // :
      "a%7Cb", // |
      "a%3Cb", // <
      "a%3Eb", // >
      "a%2Ab", // *
      "a%3Fb", // ?
      "a%01b", // control character
      "a%0Ab", // newline
      "a%1Fb",
      "a%C2%81b", // C1 control U+0081
      "a%EE%80%80b", // U+E000
      "..",
      ".",
      "d/..",
      "..%2F..%2Fetc",
      "LPT1",
      "com9",
      "Nul",
      "x".repeat(256),
    ];
    const cases: Case[] = [];
    for (const n of bad) {
      cases.push([`directory ${n}`, "PUT", `/${s}/${n}?restype=directory`, {}]);
      cases.push([`file ${n}`, "PUT", `/${s}/${n}`, { "x-ms-content-length": "1", "x-ms-type": "file" }]);
    }
    await expectAll(cases, 400, "InvalidResourceName");
    // Names at the edge of the rules are fine.
    for (const good of ["x".repeat(255), "a..b", "..a", "LPT10", "con.txt", "%E2%82%AC%20uro"]) {
      const res = await send("PUT", `/${s}/${good}?restype=directory`);
      assert.equal(res.status, 201, `${good}: ${res.body}`);
    }
  });

  test("too deep or too long paths: 400 InvalidFileOrDirectoryPathName", async () => {
    const deep = Array.from({ length: 251 }, () => "d").join("/");
    const long = Array.from({ length: 9 }, () => "y".repeat(250)).join("/");
    await expectAll(
      [
        ["251 levels", "PUT", `/${s}/${deep}?restype=directory`, {}],
        ["a path over 2048 characters", "PUT", `/${s}/${long}?restype=directory`, {}],
        ["a file at such a path", "PUT", `/${s}/${long}`, { "x-ms-content-length": "1" }],
      ],
      400,
      "InvalidFileOrDirectoryPathName",
    );
  });

  test("malformed percent-encoding in the path: 400 InvalidUri", async () => {
    await expectAll(
      [
        ["%ZZ", "PUT", `/${s}/a%ZZ?restype=directory`, {}],
        ["lone surrogate", "PUT", `/${s}/%ED%A0%80?restype=directory`, {}],
        ["truncated escape", "GET", `/${s}/f%2`, {}],
      ],
      400,
      "InvalidUri",
    );
  });
});

describe("metadata", () => {
  test("keys that are not C# identifiers: 400 InvalidMetadata", async () => {
    const paths = [
      `/${s}?restype=share&comp=metadata`,
      `/${s}/d?restype=directory&comp=metadata`,
      `/${s}/f.bin?comp=metadata`,
    ];
    for (const key of ["1abc", "a-b", "a.b", "a~b", "a$"]) {
      for (const path of paths) {
        assertError(
          await send("PUT", path, { [`x-ms-meta-${key}`]: "v" }),
          400,
          "InvalidMetadata",
          `${key} on ${path}`,
        );
      }
    }
  });

  test("an empty key: 400 EmptyMetadataKey; over 8 KiB: 400 MetadataTooLarge", async () => {
    assertError(
      await send("PUT", `/${s}/f.bin?comp=metadata`, { "x-ms-meta-": "v" }),
      400,
      "EmptyMetadataKey",
      "empty key",
    );
    assertError(
      await send("PUT", `/${s}/f.bin?comp=metadata`, { "x-ms-meta-big": "x".repeat(8 * 1024) }),
      400,
      "MetadataTooLarge",
      "8 KiB value",
    );
    const ok = await send("PUT", `/${s}/f.bin?comp=metadata`, { "x-ms-meta-big": "x".repeat(8 * 1024 - 3) });
    assert.equal(ok.status, 200, ok.body);
  });

  test("a refused create leaves nothing behind", async () => {
    const res = await send("PUT", `/${s}/ghost?restype=directory`, { "x-ms-meta-1bad": "v" });
    assertError(res, 400, "InvalidMetadata", "create with bad metadata");
    assert.equal(await share.getDirectoryClient("ghost").exists(), false);
  });
});

describe("sizes and ranges", () => {
  test("file size: negative, non-numeric or over 4 TiB is 400 InvalidHeaderValue; missing is MissingRequiredHeader", async () => {
    for (const size of ["-1", "abc", "1.5", String(4 * 1024 ** 4 + 1), "99999999999999999999"]) {
      const res = await send("PUT", `/${s}/sized.bin`, { "x-ms-content-length": size, "x-ms-type": "file" });
      assertError(res, 400, "InvalidHeaderValue", `create ${size}`);
      assert.equal(errorDetail(res.body, "HeaderName"), "x-ms-content-length");
      assertError(
        await send("PUT", `/${s}/f.bin?comp=properties`, { "x-ms-content-length": size }),
        400,
        "InvalidHeaderValue",
        `resize ${size}`,
      );
    }
    assertError(await send("PUT", `/${s}/sized.bin`, {}), 400, "MissingRequiredHeader", "no size");
    assertError(
      await send("PUT", `/${s}/sized.bin`, { "x-ms-content-length": "1", "x-ms-type": "directory" }),
      400,
      "InvalidHeaderValue",
      "x-ms-type",
    );
  });

  test("share quota out of range: 400 InvalidHeaderValue", async () => {
    for (const quota of ["0", "-1", "102401", "lots"]) {
      assertError(
        await send("PUT", `/${s}?restype=share&comp=properties`, { "x-ms-share-quota": quota }),
        400,
        "InvalidHeaderValue",
        `quota ${quota}`,
      );
    }
  });

  test("Put Range: malformed, missing, reversed, past the end, too large, wrong body", async () => {
    const put = (headers: Record<string, string>, body?: string | Buffer) =>
      send("PUT", `/${s}/f.bin?comp=range`, headers, body);
    assertError(await put({ "x-ms-write": "update" }, "abcd"), 400, "MissingRequiredHeader", "no range");
    assertError(
      await put({ "x-ms-range": "bytes=0-3" }, "abcd"),
      400,
      "MissingRequiredHeader",
      "no x-ms-write",
    );
    assertError(
      await put({ "x-ms-range": "bytes=0-3", "x-ms-write": "append" }, "abcd"),
      400,
      "InvalidHeaderValue",
      "bad x-ms-write",
    );
    for (const range of ["bytes=abc", "bytes=0-", "0-3", "bytes=-3", "bytes=0-3,5-6"]) {
      assertError(
        await put({ "x-ms-range": range, "x-ms-write": "update" }, "abcd"),
        400,
        "InvalidHeaderValue",
        `range ${range}`,
      );
    }
    assertError(
      await put({ "x-ms-range": "bytes=10-5", "x-ms-write": "update" }, "abcd"),
      416,
      "InvalidRange",
      "reversed",
    );
    assertError(
      await put({ "x-ms-range": "bytes=4094-4097", "x-ms-write": "update" }, "abcd"),
      416,
      "InvalidRange",
      "past the end",
    );
    assertError(
      await put({ "x-ms-range": "bytes=4096-4199", "x-ms-write": "clear" }),
      416,
      "InvalidRange",
      "clear past the end",
    );
    assertError(
      await put({ "x-ms-range": "bytes=0-99", "x-ms-write": "update" }, "short"),
      400,
      "InvalidHeaderValue",
      "body shorter than the range",
    );
    const big = await send("PUT", `/${s}/big.bin`, { "x-ms-content-length": String(16 * 1024 * 1024) });
    assert.equal(big.status, 201);
    assertError(
      await send(
        "PUT",
        `/${s}/big.bin?comp=range`,
        { "x-ms-range": `bytes=0-${4 * 1024 * 1024}`, "x-ms-write": "update" },
        Buffer.alloc(4 * 1024 * 1024 + 1),
      ),
      413,
      "RequestBodyTooLarge",
      "over 4 MiB",
    );
    assertError(
      await put(
        { "x-ms-range": "bytes=0-3", "x-ms-write": "update", "content-md5": "AAAAAAAAAAAAAAAAAAAAAA==" },
        "abcd",
      ),
      400,
      "Md5Mismatch",
      "wrong Content-MD5",
    );
    // Nothing of the refused writes landed.
    assert.deepEqual((await share.rootDirectoryClient.getFileClient("f.bin").getRangeList()).rangeList, []);
  });

  test("Get File and List Ranges: ranges starting past the end are 416, malformed ones 400", async () => {
    assertError(
      await send("GET", `/${s}/f.bin`, { "x-ms-range": "bytes=5000-6000" }),
      416,
      "InvalidRange",
      "start past the end",
    );
    assertError(
      await send("GET", `/${s}/f.bin`, { "x-ms-range": "bytes=9-1" }),
      416,
      "InvalidRange",
      "reversed",
    );
    assertError(
      await send("GET", `/${s}/f.bin`, { range: "bytes=-100" }),
      400,
      "InvalidHeaderValue",
      "suffix range",
    );
    assertError(
      await send("GET", `/${s}/f.bin?comp=rangelist`, { "x-ms-range": "bytes=x-y" }),
      400,
      "InvalidHeaderValue",
      "list ranges malformed",
    );
    const head = await send("HEAD", `/${s}/f.bin`, { "x-ms-range": "bytes=5000-6000" });
    assert.equal(head.status, 200, "HEAD ignores the range");
  });
});

describe("requests the service does not understand", () => {
  test("unknown comp or restype: 400 InvalidQueryParameterValue; none at all: 400", async () => {
    await expectAll(
      [
        ["service comp", "GET", "/?comp=bogus", {}],
        ["service restype", "GET", "/?restype=bogus&comp=properties", {}],
        ["service nothing", "GET", "/", {}],
        ["share comp", "PUT", `/${s}?restype=share&comp=bogus`, {}],
        ["share restype", "PUT", `/${s}?restype=bogus`, {}],
        ["directory comp", "GET", `/${s}/d?restype=directory&comp=bogus`, {}],
        ["file comp", "GET", `/${s}/f.bin?comp=bogus`, {}],
        ["file restype", "GET", `/${s}/f.bin?restype=share`, {}],
        ["list maxresults 0", "GET", "/?comp=list&maxresults=0", {}],
        ["list maxresults text", "GET", `/${s}?restype=directory&comp=list&maxresults=ten`, {}],
        ["list include", "GET", "/?comp=list&include=everything", {}],
        ["directory include", "GET", `/${s}?restype=directory&comp=list&include=sizes`, {}],
      ],
      400,
      "InvalidQueryParameterValue",
    );
    assertError(
      await send("GET", `/${s}`, {}),
      400,
      "MissingRequiredQueryParameter",
      "share without restype",
    );
  });

  test("unsupported verbs: 405 UnsupportedHttpVerb", async () => {
    await expectAll(
      [
        ["PATCH share", "PATCH", `/${s}?restype=share`, {}],
        ["POST file", "POST", `/${s}/f.bin`, {}],
        ["PROPFIND file", "PROPFIND", `/${s}/f.bin`, {}],
        ["DELETE service properties", "DELETE", "/?restype=service&comp=properties", {}],
        ["PUT list", "PUT", "/?comp=list", {}],
        ["DELETE range", "DELETE", `/${s}/f.bin?comp=range`, {}],
        ["GET lease", "GET", `/${s}/f.bin?comp=lease`, {}],
      ],
      405,
      "UnsupportedHttpVerb",
    );
  });

  test("bad XML to Set File Service Properties: 400, and the stored properties are unchanged", async () => {
    const path = "/?restype=service&comp=properties";
    const before = await send("GET", path);
    assert.equal(before.status, 200);
    await expectAll(
      [
        ["not XML", "PUT", path, {}, "<StorageServiceProperties><HourMetrics>"],
        ["empty", "PUT", path, {}, ""],
        ["another root", "PUT", path, {}, "<Other/>"],
        ["text root", "PUT", path, {}, "<StorageServiceProperties>text</StorageServiceProperties>"],
        [
          "metrics without Enabled",
          "PUT",
          path,
          {},
          "<StorageServiceProperties><HourMetrics><Version>1.0</Version></HourMetrics></StorageServiceProperties>",
        ],
        [
          "six CORS rules",
          "PUT",
          path,
          {},
          `<StorageServiceProperties><Cors>${"<CorsRule><AllowedOrigins>*</AllowedOrigins><AllowedMethods>GET</AllowedMethods><MaxAgeInSeconds>1</MaxAgeInSeconds></CorsRule>".repeat(6)}</Cors></StorageServiceProperties>`,
        ],
        [
          "an entity declaration",
          "PUT",
          path,
          {},
          '<!DOCTYPE x [<!ENTITY a "aaaa">]><StorageServiceProperties>&a;</StorageServiceProperties>',
        ],
      ],
      400,
      "InvalidXmlDocument",
    );
    await expectAll(
      [
        [
          "Enabled not a boolean",
          "PUT",
          path,
          {},
          "<StorageServiceProperties><HourMetrics><Version>1.0</Version><Enabled>maybe</Enabled></HourMetrics></StorageServiceProperties>",
        ],
        [
          "an unknown CORS method",
          "PUT",
          path,
          {},
          "<StorageServiceProperties><Cors><CorsRule><AllowedOrigins>*</AllowedOrigins><AllowedMethods>FETCH</AllowedMethods><MaxAgeInSeconds>1</MaxAgeInSeconds></CorsRule></Cors></StorageServiceProperties>",
        ],
        [
          "retention days out of range",
          "PUT",
          path,
          {},
          "<StorageServiceProperties><HourMetrics><Version>1.0</Version><Enabled>true</Enabled><IncludeAPIs>false</IncludeAPIs><RetentionPolicy><Enabled>true</Enabled><Days>366</Days></RetentionPolicy></HourMetrics></StorageServiceProperties>",
        ],
      ],
      400,
      "InvalidXmlNodeValue",
    );
    assertError(
      await send("PUT", path, {}, "x".repeat(100 * 1024)),
      413,
      "RequestBodyTooLarge",
      "a huge body",
    );
    const after = await send("GET", path);
    assert.equal(after.body, before.body);
  });

  test("malformed headers other operations read: 400 InvalidHeaderValue / MissingRequiredHeader", async () => {
    await expectAll(
      [
        [
          "lease duration",
          "PUT",
          `/${s}/f.bin?comp=lease`,
          { "x-ms-lease-action": "acquire", "x-ms-lease-duration": "x" },
        ],
        ["lease action", "PUT", `/${s}/f.bin?comp=lease`, { "x-ms-lease-action": "steal" }],
        [
          "proposed lease id",
          "PUT",
          `/${s}/f.bin?comp=lease`,
          { "x-ms-lease-action": "acquire", "x-ms-lease-duration": "-1", "x-ms-proposed-lease-id": "nope" },
        ],
        [
          "file attributes",
          "PUT",
          `/${s}/attr.bin`,
          { "x-ms-content-length": "1", "x-ms-file-attributes": "Bogus" },
        ],
        [
          "creation time",
          "PUT",
          `/${s}/attr.bin`,
          { "x-ms-content-length": "1", "x-ms-file-creation-time": "yesterday" },
        ],
        ["delete snapshots", "DELETE", `/${s}?restype=share`, { "x-ms-delete-snapshots": "some" }],
      ],
      400,
      "InvalidHeaderValue",
    );
    await expectAll(
      [
        ["lease action missing", "PUT", `/${s}/f.bin?comp=lease`, {}],
        ["handle id missing", "PUT", `/${s}/f.bin?comp=forceclosehandles`, {}],
        ["permission key missing", "GET", `/${s}?restype=share&comp=filepermission`, {}],
      ],
      400,
      "MissingRequiredHeader",
    );
    assertError(
      await send(
        "PUT",
        `/${s}?restype=share&comp=filepermission`,
        { "content-type": "application/json" },
        "{not json",
      ),
      400,
      "InvalidInput",
      "permission body",
    );
  });

  test("error details quoting the request keep XML's special characters escaped", async () => {
    const value = `<x a="1" b='2'>&amp;</x>`;
    const res = await send("PUT", `/${s}/f.bin?comp=lease`, {
      "x-ms-lease-action": "acquire",
      "x-ms-lease-duration": value,
    });
    assertError(res, 400, "InvalidHeaderValue", "lease duration with markup");
    assert.ok(!res.body.includes(value), "the value appears only escaped");
    assert.equal(errorDetail(res.body, "HeaderName"), "x-ms-lease-duration");
    assert.equal(errorDetail(res.body, "HeaderValue"), value);
    // The official SDK reads the same kind of body back into the error it throws.
    const err = await share.rootDirectoryClient
      .getFileClient("f.bin")
      .getShareLeaseClient()
      .acquireLease(7)
      .then(
        () => undefined,
        (e: unknown) => e as { statusCode?: number; details?: Record<string, string> },
      );
    assert.equal(err?.statusCode, 400);
    assert.equal(err?.details?.errorCode, "InvalidHeaderValue");
    assert.equal(err?.details?.HeaderName, "x-ms-lease-duration");
    assert.equal(err?.details?.HeaderValue, "7");
  });

  test("HEAD errors carry the code but no body", async () => {
    for (const path of [`/${s}/missing.bin`, `/${s}/a%3Cb`, `/${s}?restype=bogus`]) {
      const res = await send("HEAD", path);
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
      assert.ok(res.headers["x-ms-error-code"], path);
      assert.equal(res.body, "", path);
    }
  });
});
