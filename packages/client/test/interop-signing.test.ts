import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  StorageSharedKeyCredential as OfficialCredential,
  ShareServiceClient as OfficialServiceClient,
} from "@azure/storage-file-share";
import { SharedKeyCredential } from "../src/credentials/shared-key-credential.js";
import type { PipelineRequest } from "../src/pipeline/request.js";
import { type FakeResponse, type RecordedRequest, withServer } from "./helpers/fake-server.js";

// Drives the official Azure SDK at a local recorder and checks that our SharedKey signer, given
// the request exactly as it arrived, produces the same Authorization header.

const ACCOUNT = "devstoreaccount1";
const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

function resign(request: RecordedRequest, origin: string): string | null {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === "authorization" || value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(",") : value);
  }
  const pipelineRequest: PipelineRequest = {
    method: request.method as PipelineRequest["method"],
    url: new URL(request.rawUrl, origin),
    headers,
    body: request.body.length > 0 ? new Uint8Array(request.body) : undefined,
  };
  new SharedKeyCredential(ACCOUNT, KEY).authorizeRequest(pipelineRequest);
  return pipelineRequest.headers.get("authorization");
}

describe("SharedKey interop with @azure/storage-file-share", () => {
  test("our signature equals the official SDK's for a range of operations (path-style)", async () => {
    await withServer(
      (request): FakeResponse => {
        if (request.method === "GET" && request.url.searchParams.get("comp") === "list") {
          return {
            status: 200,
            headers: { "content-type": "application/xml" },
            body: "<EnumerationResults><Shares/><NextMarker/></EnumerationResults>",
          };
        }
        return {
          status: request.method === "DELETE" ? 202 : 201,
          headers: { etag: '"e"', "last-modified": new Date().toUTCString() },
        };
      },
      async (server) => {
        const service = new OfficialServiceClient(server.accountUrl, new OfficialCredential(ACCOUNT, KEY), {
          retryOptions: { maxTries: 1 },
        });
        const share = service.getShareClient("myshare");
        await share.create({ metadata: { owner: "ops", note: "a b" }, quota: 5 });
        const dir = share.getDirectoryClient("dir a");
        await dir.create().catch(() => undefined);
        const file = dir.getFileClient("naïve (1).txt");
        await file.create(11, { fileHttpHeaders: { fileContentType: "text/plain" } }).catch(() => undefined);
        await file.uploadRange(Buffer.from("hello world"), 0, 11).catch(() => undefined);
        await file
          .getShareLeaseClient("11111111-1111-4111-8111-111111111111")
          .acquireLease(-1)
          .catch(() => undefined);
        for await (const _ of service.listShares({ prefix: "my", includeMetadata: true })) break;
        await share.delete({ deleteSnapshots: "include" }).catch(() => undefined);

        assert.ok(server.requests.length >= 7, `recorded ${server.requests.length} requests`);
        for (const request of server.requests) {
          const official = request.headers.authorization;
          assert.ok(
            official?.startsWith(`SharedKey ${ACCOUNT}:`),
            `${request.method} ${request.rawUrl} is signed`,
          );
          assert.equal(resign(request, server.origin), official, `${request.method} ${request.rawUrl}`);
        }
        assert.ok(
          server.requests.some((r) => r.rawUrl.startsWith("/devstoreaccount1/myshare/dir%20a/")),
          "path-style URLs with encoded segments were covered",
        );
        assert.ok(
          server.requests.some((r) => r.body.length === 11),
          "a request with a body was covered",
        );
      },
    );
  });
});
