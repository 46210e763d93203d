/**
 * Every SAS refusal issue 5 lists, with tokens made by `@sharelock/client` (test/sas.test.ts does
 * the same with tokens made by the official SDK): the right 403 code for each.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ShareServiceClient as AzureServiceClient } from "@azure/storage-file-share";
import {
  generateAccountSas,
  generateFileSas,
  generateShareSas,
  SharedKeyCredential,
} from "../packages/client/src/index.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const HOUR = 3600_000;
let ts: TestServer;
let key: SharedKeyCredential;
let shareA: string;
let shareB: string;

before(async () => {
  ts = await startTestServer();
  key = new SharedKeyCredential(ts.accountName, ts.accountKey);
  const azure = AzureServiceClient.fromConnectionString(ts.connectionString);
  shareA = uniqueShareName("sas-a");
  shareB = uniqueShareName("sas-b");
  for (const name of [shareA, shareB]) {
    const share = azure.getShareClient(name);
    await share.create();
    await share.rootDirectoryClient.getFileClient("a.txt").uploadData(Buffer.from("a"));
    await share.rootDirectoryClient.getFileClient("b.txt").uploadData(Buffer.from("b"));
  }
  await azure.getShareClient(shareA).setAccessPolicy([
    {
      id: "readers",
      accessPolicy: {
        permissions: "r",
        startsOn: new Date(Date.now() - HOUR),
        expiresOn: new Date(Date.now() + HOUR),
      },
    },
    {
      id: "revoked",
      accessPolicy: {
        permissions: "r",
        startsOn: new Date(Date.now() - HOUR),
        expiresOn: new Date(Date.now() + HOUR),
      },
    },
  ]);
});
after(async () => ts.dispose());

/** Sends a request with a SAS token and no Authorization header. */
async function withSas(method: string, path: string, token: string, headers: Record<string, string> = {}) {
  const sep = path.includes("?") ? "&" : "?";
  const res = await fetch(`${ts.accountUrl}/${path}${sep}${token.replace(/^\?/, "")}`, {
    method,
    headers: { "x-ms-version": "2026-06-06", ...headers },
  });
  await res.arrayBuffer();
  return { status: res.status, code: res.headers.get("x-ms-error-code") };
}

const later = () => new Date(Date.now() + HOUR);
const fileSas = (over: Partial<Parameters<typeof generateFileSas>[1]> = {}) =>
  generateFileSas(key, { shareName: shareA, filePath: "a.txt", permission: "r", expiry: later(), ...over });

test("our SAS works for what it grants (the baseline the refusals are measured against)", async () => {
  assert.deepEqual(await withSas("GET", `${shareA}/a.txt`, fileSas()), { status: 200, code: null });
  const policy = generateShareSas(key, { shareName: shareA, policyId: "readers" });
  assert.equal((await withSas("GET", `${shareA}/b.txt`, policy)).status, 200);
});

test("each refusal gets Azure's 403 code", async () => {
  const cases: Array<[string, Promise<{ status: number; code: string | null }>, string]> = [
    [
      "expired",
      withSas("GET", `${shareA}/a.txt`, fileSas({ expiry: new Date(Date.now() - HOUR) })),
      "AuthenticationFailed",
    ],
    [
      "not yet valid",
      withSas("GET", `${shareA}/a.txt`, fileSas({ start: new Date(Date.now() + HOUR / 2) })),
      "AuthenticationFailed",
    ],
    [
      "missing permission",
      withSas("PUT", `${shareA}/a.txt?comp=metadata`, fileSas(), { "x-ms-meta-x": "1" }),
      "AuthorizationPermissionMismatch",
    ],
    [
      "wrong resource type",
      withSas(
        "GET",
        `${shareA}/a.txt`,
        generateAccountSas(key, { resourceTypes: "s", permission: "rl", expiry: later() }),
      ),
      "AuthorizationResourceTypeMismatch",
    ],
    [
      "other share",
      withSas(
        "GET",
        `${shareB}/a.txt`,
        generateShareSas(key, { shareName: shareA, permission: "r", expiry: later() }),
      ),
      "AuthenticationFailed",
    ],
    ["sibling file", withSas("GET", `${shareA}/b.txt`, fileSas()), "AuthenticationFailed"],
    [
      "IP outside the range",
      withSas("GET", `${shareA}/a.txt`, fileSas({ ip: "10.9.9.9" })),
      "AuthorizationSourceIPMismatch",
    ],
    [
      "http with spr=https",
      withSas("GET", `${shareA}/a.txt`, fileSas({ protocol: "https" })),
      "AuthorizationProtocolMismatch",
    ],
    [
      "tampered signature",
      withSas(
        "GET",
        `${shareA}/a.txt`,
        fileSas().replace(
          /sig=([^&]+)/,
          (_m, s: string) => `sig=${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`,
        ),
      ),
      "AuthenticationFailed",
    ],
    [
      "unknown si",
      withSas("GET", `${shareA}/a.txt`, generateShareSas(key, { shareName: shareA, policyId: "nobody" })),
      "AuthenticationFailed",
    ],
  ];
  for (const [what, outcome, code] of cases) {
    assert.deepEqual(await outcome, { status: 403, code }, what);
  }
});

test("revoking a stored policy refuses its SAS at once", async () => {
  const token = generateShareSas(key, { shareName: shareA, policyId: "revoked" });
  assert.equal((await withSas("GET", `${shareA}/a.txt`, token)).status, 200);
  const azure = AzureServiceClient.fromConnectionString(ts.connectionString).getShareClient(shareA);
  await azure.setAccessPolicy([
    {
      id: "readers",
      accessPolicy: {
        permissions: "r",
        startsOn: new Date(Date.now() - HOUR),
        expiresOn: new Date(Date.now() + HOUR),
      },
    },
  ]);
  assert.deepEqual(await withSas("GET", `${shareA}/a.txt`, token), {
    status: 403,
    code: "AuthenticationFailed",
  });
});
