import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import {
  errorCode,
  errorDetail,
  hmac,
  type RawRequest,
  type RawResponse,
  rawRequest,
  stringToSign,
} from "./helpers/raw-http.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let shareName: string;
let share: ShareClient;

before(async () => {
  ts = await startTestServer();
  shareName = uniqueShareName("auth");
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(shareName);
  await share.create();
  await share.getDirectoryClient("a").create();
  await share.rootDirectoryClient.getFileClient("f.txt").uploadData(Buffer.from("content"));
});
after(async () => ts.dispose());

type Req = Omit<RawRequest, "endpoint" | "accountName" | "accountKey"> & Partial<RawRequest>;

function send(req: Req): Promise<RawResponse> {
  return rawRequest({
    endpoint: ts.endpoint,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    ...req,
  });
}

const sharePath = () => `/${ts.accountName}/${shareName}?restype=share`;

/** Status, `x-ms-error-code` and the XML `<Code>` all agree. */
function assertError(res: RawResponse, status: number, code: string): void {
  assert.equal(res.status, status, `status (body: ${res.body})`);
  assert.equal(res.headers["x-ms-error-code"], code);
  assert.equal(res.headers["content-type"], "application/xml");
  assert.equal(errorCode(res.body), code);
}

describe("SharedKey verification", () => {
  test("a correctly signed request succeeds", async () => {
    const res = await send({ method: "GET", path: sharePath() });
    assert.equal(res.status, 200);
  });

  test("a wrong key: 403 AuthenticationFailed with the string-to-sign in AuthenticationErrorDetail", async () => {
    const wrongKey = Buffer.alloc(64, 7).toString("base64");
    const res = await send({ method: "GET", path: sharePath(), accountKey: wrongKey });
    assertError(res, 403, "AuthenticationFailed");
    const detail = errorDetail(res.body, "AuthenticationErrorDetail") ?? "";
    assert.match(
      detail,
      /The MAC signature found in the HTTP request '.+' is not the same as any computed signature/,
    );
    assert.match(detail, new RegExp(`/${ts.accountName}/${ts.accountName}/${shareName}`));
  });

  test("a request changed after signing (a header, the path, the query): 403 AuthenticationFailed", async () => {
    const date = new Date().toUTCString();
    const signed = { "x-ms-date": date, "x-ms-version": "2026-06-06", "x-ms-meta-a": "1" };
    const path = `/${ts.accountName}/${shareName}?restype=share&comp=metadata`;
    const sig = hmac(ts.accountKey, stringToSign("SharedKey", "PUT", path, ts.accountName, signed));
    const authorization = `SharedKey ${ts.accountName}:${sig}`;
    const ok = await send({ method: "PUT", path, scheme: "none", headers: { ...signed, authorization } });
    assert.equal(ok.status, 200, ok.body);
    const variants: Array<[string, Record<string, string>]> = [
      [path, { ...signed, "x-ms-meta-a": "2" }],
      [path, { ...signed, "x-ms-meta-b": "1" }],
      [`/${ts.accountName}/${shareName}x?restype=share&comp=metadata`, signed],
      [`/${ts.accountName}/${shareName}?restype=share&comp=properties`, signed],
    ];
    for (const [p, headers] of variants) {
      const res = await send({
        method: "PUT",
        path: p,
        scheme: "none",
        headers: { ...headers, authorization },
      });
      assertError(res, 403, "AuthenticationFailed");
    }
    assert.deepEqual((await share.getProperties()).metadata, { a: "1" });
  });

  test("a signature naming another account: 403 AuthenticationFailed", async () => {
    const res = await send({ method: "GET", path: sharePath(), signAs: "otheraccount" });
    assertError(res, 403, "AuthenticationFailed");
  });

  test("an unsigned request: 401 NoAuthenticationInformation", async () => {
    const res = await send({ method: "GET", path: sharePath(), scheme: "none" });
    assertError(res, 401, "NoAuthenticationInformation");
    assert.match(String(res.headers["www-authenticate"]), /^SharedKey realm=/);
  });

  test("no operation is reachable anonymously", async () => {
    const a = ts.accountName;
    const s = shareName;
    const cases: Array<[string, string]> = [
      ["GET", `/${a}/?comp=list`],
      ["GET", `/${a}/?restype=service&comp=properties`],
      ["PUT", `/${a}/?restype=service&comp=properties`],
      ["PUT", `/${a}/${uniqueShareName("anon")}?restype=share`],
      ["GET", `/${a}/${s}?restype=share`],
      ["HEAD", `/${a}/${s}?restype=share`],
      ["DELETE", `/${a}/${s}?restype=share`],
      ["PUT", `/${a}/${s}?restype=share&comp=metadata`],
      ["PUT", `/${a}/${s}?restype=share&comp=properties`],
      ["GET", `/${a}/${s}?restype=share&comp=stats`],
      ["PUT", `/${a}/${s}?restype=share&comp=lease`],
      ["PUT", `/${a}/${s}?restype=share&comp=filepermission`],
      ["GET", `/${a}/${s}?restype=share&comp=filepermission`],
      ["PUT", `/${a}/${s}/newdir?restype=directory`],
      ["GET", `/${a}/${s}/a?restype=directory`],
      ["DELETE", `/${a}/${s}/a?restype=directory`],
      ["GET", `/${a}/${s}?restype=directory&comp=list`],
      ["GET", `/${a}/${s}/a?comp=listhandles`],
      ["PUT", `/${a}/${s}/a?restype=directory&comp=forceclosehandles`],
      ["PUT", `/${a}/${s}/new.txt`],
      ["GET", `/${a}/${s}/f.txt`],
      ["HEAD", `/${a}/${s}/f.txt`],
      ["DELETE", `/${a}/${s}/f.txt`],
      ["PUT", `/${a}/${s}/f.txt?comp=properties`],
      ["PUT", `/${a}/${s}/f.txt?comp=metadata`],
      ["PUT", `/${a}/${s}/f.txt?comp=range`],
      ["GET", `/${a}/${s}/f.txt?comp=rangelist`],
      ["PUT", `/${a}/${s}/f.txt?comp=lease`],
    ];
    for (const [method, path] of cases) {
      const res = await send({ method, path, scheme: "none" });
      assert.equal(res.status, 401, `${method} ${path}: ${res.body}`);
      assert.equal(res.headers["x-ms-error-code"], "NoAuthenticationInformation", `${method} ${path}`);
    }
    // Nothing changed: the file still holds its content, the directory is still there.
    assert.equal(
      (await share.rootDirectoryClient.getFileClient("f.txt").downloadToBuffer()).toString(),
      "content",
    );
    assert.ok(await share.getDirectoryClient("a").exists());
  });

  test("a malformed Authorization header: 400 InvalidAuthenticationInfo", async () => {
    for (const authorization of [
      "garbage",
      "SharedKey nocolon",
      "Bearer abc.def",
      "SharedKey :sig",
      "SharedKey",
    ]) {
      const res = await send({
        method: "GET",
        path: sharePath(),
        scheme: "none",
        headers: { authorization },
      });
      assertError(res, 400, "InvalidAuthenticationInfo");
      assert.ok(errorDetail(res.body, "AuthenticationErrorDetail"), authorization);
    }
  });

  test("x-ms-date more than 15 minutes away (past or future): 403 AuthenticationFailed", async () => {
    for (const offsetMin of [-16, 16, -60 * 24]) {
      const date = new Date(Date.now() + offsetMin * 60_000).toUTCString();
      const res = await send({ method: "GET", path: sharePath(), headers: { "x-ms-date": date } });
      assertError(res, 403, "AuthenticationFailed");
      assert.match(errorDetail(res.body, "AuthenticationErrorDetail") ?? "", /15 minutes/);
    }
    const nearby = new Date(Date.now() - 10 * 60_000).toUTCString();
    assert.equal(
      (await send({ method: "GET", path: sharePath(), headers: { "x-ms-date": nearby } })).status,
      200,
    );
  });

  test("no date at all: 403; the Date header instead of x-ms-date is signed and accepted", async () => {
    const none = await send({ method: "GET", path: sharePath(), headers: { "x-ms-date": null } });
    assertError(none, 403, "AuthenticationFailed");
    const withDate = await send({
      method: "GET",
      path: sharePath(),
      headers: { "x-ms-date": null, date: new Date().toUTCString() },
    });
    assert.equal(withDate.status, 200, withDate.body);
  });

  test("SharedKeyLite, signed by hand from the documented algorithm, is accepted; a wrong key is not", async () => {
    const get = await send({
      method: "GET",
      path: `/${ts.accountName}/${shareName}/f.txt`,
      scheme: "SharedKeyLite",
    });
    assert.equal(get.status, 200, get.body);
    assert.equal(get.body, "content");
    const meta = await send({
      method: "PUT",
      path: `/${ts.accountName}/${shareName}/f.txt?comp=metadata`,
      scheme: "SharedKeyLite",
      headers: { "x-ms-meta-lite": "yes" },
    });
    assert.equal(meta.status, 200, meta.body);
    assert.deepEqual((await share.rootDirectoryClient.getFileClient("f.txt").getProperties()).metadata, {
      lite: "yes",
    });
    const wrong = await send({
      method: "GET",
      path: `/${ts.accountName}/${shareName}/f.txt`,
      scheme: "SharedKeyLite",
      accountKey: Buffer.alloc(64, 1).toString("base64"),
    });
    assertError(wrong, 403, "AuthenticationFailed");
  });

  test("SharedKey over a percent-encoded path (a%2Fb, as the Python SDK sends nested paths)", async () => {
    const created = await send({
      method: "PUT",
      path: `/${ts.accountName}/${shareName}/a%2Fb?restype=directory`,
    });
    assert.equal(created.status, 201, created.body);
    assert.ok(await share.getDirectoryClient("a/b").exists());
    const file = await send({
      method: "PUT",
      path: `/${ts.accountName}/${shareName}/a%2Fb%2Fspace%20name.txt`,
      headers: { "x-ms-content-length": "3", "x-ms-type": "file" },
    });
    assert.equal(file.status, 201, file.body);
    assert.equal(
      (await share.getDirectoryClient("a/b").getFileClient("space name.txt").getProperties()).contentLength,
      3,
    );
  });

  test("host-style addressing (<account>.file.<host>) authenticates over the bare path", async () => {
    const res = await send({
      method: "GET",
      path: `/${shareName}?restype=share`,
      headers: { host: `${ts.accountName}.file.localhost:${new URL(ts.endpoint).port}` },
    });
    assert.equal(res.status, 200, res.body);
    const list = await send({
      method: "GET",
      path: `/?comp=list&prefix=${shareName}`,
      headers: { host: `${ts.accountName}.file.localhost` },
    });
    assert.equal(list.status, 200, list.body);
    assert.match(list.body, new RegExp(`<Name>${shareName}</Name>`));
  });
});

describe("x-ms-version", () => {
  test("older versions the SDKs send (2019-02-02, 2021-12-02) work and are echoed", async () => {
    for (const version of ["2019-02-02", "2020-02-10", "2021-12-02", "2026-06-06"]) {
      const res = await send({ method: "GET", path: sharePath(), headers: { "x-ms-version": version } });
      assert.equal(res.status, 200, `${version}: ${res.body}`);
      assert.equal(res.headers["x-ms-version"], version);
    }
  });

  test("a newer version than we know is served with the newest behaviour and echoed", async () => {
    const res = await send({ method: "GET", path: sharePath(), headers: { "x-ms-version": "2099-01-01" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers["x-ms-version"], "2099-01-01");
  });

  test("a version older than 2019-02-02 or malformed: 400 InvalidHeaderValue naming x-ms-version", async () => {
    for (const version of ["2018-11-09", "2015-02-21", "yesterday"]) {
      const res = await send({ method: "GET", path: sharePath(), headers: { "x-ms-version": version } });
      assertError(res, 400, "InvalidHeaderValue");
      assert.equal(errorDetail(res.body, "HeaderName"), "x-ms-version");
    }
  });

  test("a missing x-ms-version: 400 MissingRequiredHeader", async () => {
    const res = await send({ method: "GET", path: sharePath(), headers: { "x-ms-version": null } });
    assertError(res, 400, "MissingRequiredHeader");
    assert.equal(errorDetail(res.body, "HeaderName"), "x-ms-version");
  });
});

describe("headers every response carries", () => {
  test("x-ms-request-id, x-ms-version and Date on successes and errors, HEAD errors without a body", async () => {
    const cases: Array<{ req: Req; status: number }> = [
      { req: { method: "GET", path: sharePath() }, status: 200 },
      { req: { method: "HEAD", path: `/${ts.accountName}/${shareName}/f.txt` }, status: 200 },
      { req: { method: "GET", path: `/${ts.accountName}/${shareName}/f.txt` }, status: 200 },
      { req: { method: "GET", path: `/${ts.accountName}/?comp=list` }, status: 200 },
      { req: { method: "GET", path: `/${ts.accountName}/${shareName}/missing.txt` }, status: 404 },
      { req: { method: "HEAD", path: `/${ts.accountName}/${shareName}/missing.txt` }, status: 404 },
      { req: { method: "HEAD", path: sharePath(), scheme: "none" }, status: 401 },
      { req: { method: "GET", path: sharePath(), scheme: "none" }, status: 401 },
      { req: { method: "GET", path: sharePath(), headers: { "x-ms-version": null } }, status: 400 },
      { req: { method: "PATCH", path: sharePath() }, status: 405 },
      {
        req: { method: "OPTIONS", path: sharePath(), scheme: "none", headers: { origin: "http://x" } },
        status: 403,
      },
    ];
    const ids = new Set<string>();
    for (const { req, status } of cases) {
      const res = await send(req);
      const what = `${req.method} ${req.path}`;
      assert.equal(res.status, status, `${what}: ${res.body}`);
      const id = res.headers["x-ms-request-id"];
      assert.equal(typeof id, "string", `${what} has x-ms-request-id`);
      ids.add(id as string);
      assert.ok(res.headers["x-ms-version"], `${what} has x-ms-version`);
      assert.ok(!Number.isNaN(Date.parse(res.headers.date as string)), `${what} has Date`);
      if (status >= 400) {
        assert.ok(res.headers["x-ms-error-code"], `${what} has x-ms-error-code`);
        if (req.method === "HEAD") assert.equal(res.body, "", `${what} has no body`);
        else assert.ok(errorCode(res.body), `${what} has an XML error body`);
      }
    }
    assert.equal(ids.size, cases.length, "request ids are unique");
  });

  test("x-ms-client-request-id is echoed", async () => {
    const res = await send({
      method: "GET",
      path: sharePath(),
      headers: { "x-ms-client-request-id": "trace-42" },
    });
    assert.equal(res.headers["x-ms-client-request-id"], "trace-42");
    const err = await send({
      method: "GET",
      path: `/${ts.accountName}/${shareName}/missing.txt`,
      headers: { "x-ms-client-request-id": "trace-43" },
    });
    assert.equal(err.headers["x-ms-client-request-id"], "trace-43");
  });
});
