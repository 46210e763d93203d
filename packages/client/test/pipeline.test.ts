import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AnonymousCredential } from "../src/credentials/anonymous-credential.js";
import type { Credential } from "../src/credentials/credential.js";
import { SasCredential } from "../src/credentials/sas-credential.js";
import { ShareError } from "../src/pipeline/errors.js";
import { Pipeline } from "../src/pipeline/pipeline.js";
import {
  computeRetryDelay,
  isRetryableStatus,
  parseRetryAfter,
  type RetryOptions,
  resolveRetryOptions,
} from "../src/pipeline/retry.js";
import { withServer } from "./helpers/fake-server.js";

const fastRetry: RetryOptions = { maxRetries: 3, retryDelayMs: 5, maxRetryDelayMs: 20 };

function pipeline(retry: RetryOptions = fastRetry, credential: Credential = new AnonymousCredential()) {
  return new Pipeline({ credential, retry });
}

function get(url: string) {
  return { method: "GET" as const, url: new URL(url), headers: new Headers() };
}

const errorXml = (code: string, message: string) =>
  `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:r1\nTime:2024-01-01T00:00:00.0000000Z</Message><HeaderName>x-ms-lease-id</HeaderName></Error>`;

describe("retry policy", () => {
  test("retries 408, 429 and 5xx except 501/505; never other 4xx", () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599])
      assert.equal(isRetryableStatus(status), true, `${status}`);
    for (const status of [400, 401, 403, 404, 409, 412, 416, 501, 505]) {
      assert.equal(isRetryableStatus(status), false, `${status}`);
    }
  });

  test("backoff doubles, is capped, and has equal jitter", () => {
    const options = resolveRetryOptions({ retryDelayMs: 100, maxRetryDelayMs: 1000 });
    assert.equal(
      computeRetryDelay(1, options, undefined, () => 0),
      50,
    );
    assert.equal(
      computeRetryDelay(1, options, undefined, () => 0.999999),
      99.99995,
    );
    assert.equal(
      computeRetryDelay(3, options, undefined, () => 0),
      200,
    );
    assert.equal(
      computeRetryDelay(10, options, undefined, () => 0.5),
      750,
    );
    assert.equal(
      computeRetryDelay(1, options, 600, () => 0),
      600,
      "Retry-After raises the delay",
    );
    assert.equal(
      computeRetryDelay(1, options, 60_000, () => 0),
      1000,
      "but stays capped",
    );
  });

  test("Retry-After is read as seconds or as a date", () => {
    assert.equal(parseRetryAfter("2"), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter("soon"), undefined);
  });

  test("bad options are refused", () => {
    assert.throws(() => resolveRetryOptions({ maxRetries: -1 }), RangeError);
    assert.throws(() => resolveRetryOptions({ tryTimeoutMs: 0 }), RangeError);
  });
});

describe("pipeline against a local server", () => {
  test("503 then 200: retried, and every attempt has the same client request id and a fresh date", async () => {
    let calls = 0;
    await withServer(
      () =>
        ++calls === 1 ? { status: 503, body: errorXml("ServerBusy", "busy") } : { status: 200, body: "ok" },
      async (server) => {
        const response = await pipeline().send(get(`${server.accountUrl}?comp=list`));
        assert.equal(response.status, 200);
        assert.equal(response.bodyText, "ok");
        assert.equal(server.requests.length, 2);
        const [first, second] = server.requests;
        assert.ok(first && second);
        assert.equal(first.headers["x-ms-client-request-id"], second.headers["x-ms-client-request-id"]);
        assert.match(String(first.headers["x-ms-client-request-id"]), /^[0-9a-f-]{36}$/);
        assert.equal(first.headers["x-ms-version"], "2026-06-06");
        assert.ok(first.headers["x-ms-date"]);
        assert.match(String(first.headers["user-agent"]), /^sharelock-client\//);
      },
    );
  });

  test("409 (a lease conflict) is not retried and becomes a ShareError with code, message, details", async () => {
    await withServer(
      () => ({
        status: 409,
        headers: { "x-ms-error-code": "LeaseAlreadyPresent", "content-type": "application/xml" },
        body: errorXml("LeaseAlreadyPresent", "There is already a lease present."),
      }),
      async (server) => {
        const error = await pipeline()
          .send(get(`${server.accountUrl}/s/f?comp=lease`))
          .then(
            () => assert.fail("should have failed"),
            (e: unknown) => e,
          );
        assert.ok(error instanceof ShareError);
        assert.equal(server.requests.length, 1);
        assert.equal(error.kind, "service");
        assert.equal(error.statusCode, 409);
        assert.equal(error.errorCode, "LeaseAlreadyPresent");
        assert.equal(error.serviceMessage, "There is already a lease present.");
        assert.equal(error.message, "There is already a lease present. (HTTP 409 LeaseAlreadyPresent)");
        assert.equal(error.requestId, "req-1");
        assert.equal(error.details.HeaderName, "x-ms-lease-id");
        assert.equal(error.headers.get("x-ms-error-code"), "LeaseAlreadyPresent");
        assert.equal(error.isNetworkError, false);
      },
    );
  });

  test("HEAD errors take the code from x-ms-error-code", async () => {
    await withServer(
      () => ({ status: 404, headers: { "x-ms-error-code": "ResourceNotFound" } }),
      async (server) => {
        const error = await pipeline()
          .send({ method: "HEAD", url: new URL(`${server.accountUrl}/s/f`), headers: new Headers() })
          .catch((e: unknown) => e);
        assert.ok(error instanceof ShareError);
        assert.equal(error.statusCode, 404);
        assert.equal(error.errorCode, "ResourceNotFound");
      },
    );
  });

  test("retries stop after maxRetries and the last error is reported", async () => {
    await withServer(
      () => ({ status: 500, body: errorXml("InternalError", "boom") }),
      async (server) => {
        const error = await pipeline({ ...fastRetry, maxRetries: 2 })
          .send(get(server.accountUrl))
          .catch((e: unknown) => e);
        assert.equal(server.requests.length, 3);
        assert.ok(error instanceof ShareError);
        assert.equal(error.errorCode, "InternalError");
      },
    );
  });

  test("dropped connections are retried, then reported as network errors", async () => {
    let calls = 0;
    await withServer(
      () => (++calls <= 2 ? { destroy: true } : { status: 200, body: "fine" }),
      async (server) => {
        const response = await pipeline().send(get(server.accountUrl));
        assert.equal(response.bodyText, "fine");
        assert.equal(calls, 3);
      },
    );
    await withServer(
      () => ({ destroy: true }),
      async (server) => {
        const error = await pipeline({ ...fastRetry, maxRetries: 1 })
          .send(get(server.accountUrl))
          .catch((e: unknown) => e);
        assert.ok(error instanceof ShareError);
        assert.equal(error.kind, "network");
        assert.equal(error.isNetworkError, true);
        assert.equal(error.statusCode, undefined);
        assert.equal(server.requests.length, 2);
      },
    );
  });

  test("a refused connection is a network error", async () => {
    const port = await withServer(
      () => ({}),
      async (server) => new URL(server.origin).port,
    );
    const error = await pipeline({ ...fastRetry, maxRetries: 0 })
      .send(get(`http://127.0.0.1:${port}/acct`))
      .catch((e: unknown) => e);
    assert.ok(error instanceof ShareError);
    assert.equal(error.isNetworkError, true);
    assert.match(error.message, /ECONNREFUSED/);
  });

  test("the call timeout bounds the call and is sent as the timeout query parameter", async () => {
    await withServer(
      () => ({ status: 200, delayMs: 10_000 }),
      async (server) => {
        const started = Date.now();
        const error = await pipeline()
          .send(get(`${server.accountUrl}?comp=list`), { timeout: 0.8 })
          .catch((e: unknown) => e);
        assert.ok(error instanceof ShareError);
        assert.equal(error.kind, "timeout");
        assert.equal(error.isTimeout, true);
        assert.ok(Date.now() - started < 5000, "gave up at the deadline, not after the server's 10 s");
        assert.equal(server.requests[0]?.url.searchParams.get("timeout"), "1");
        assert.equal(server.requests[0]?.url.searchParams.get("comp"), "list");
      },
    );
  });

  test("tryTimeoutMs retries a hung attempt", async () => {
    let calls = 0;
    await withServer(
      () => (++calls === 1 ? { status: 200, delayMs: 10_000, body: "late" } : { status: 200, body: "quick" }),
      async (server) => {
        const response = await pipeline({ ...fastRetry, tryTimeoutMs: 400 }).send(get(server.accountUrl));
        assert.equal(response.bodyText, "quick");
        assert.equal(calls, 2);
      },
    );
  });

  test("an abort signal stops the call with an aborted ShareError, also between retries", async () => {
    await withServer(
      () => ({ status: 200, delayMs: 3000 }),
      async (server) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const error = await pipeline()
          .send(get(server.accountUrl), { abortSignal: controller.signal })
          .catch((e: unknown) => e);
        assert.ok(error instanceof ShareError);
        assert.equal(error.kind, "aborted");
        assert.equal(error.isAborted, true);
      },
    );
    const controller = new AbortController();
    await withServer(
      () => {
        // Abort while the client waits (10 s) before its retry.
        setTimeout(() => controller.abort(), 50);
        return { status: 503 };
      },
      async (server) => {
        const slow = new Pipeline({
          credential: new AnonymousCredential(),
          retry: { maxRetries: 5, retryDelayMs: 10_000, maxRetryDelayMs: 10_000 },
        });
        const started = Date.now();
        const error = await slow
          .send(get(server.accountUrl), { abortSignal: controller.signal })
          .catch((e: unknown) => e);
        assert.ok(error instanceof ShareError);
        assert.equal(error.kind, "aborted");
        assert.ok(Date.now() - started < 5000, "did not wait for the retry");
        assert.equal(server.requests.length, 1);
      },
    );
  });

  test("an already-aborted signal sends nothing", async () => {
    await withServer(
      () => ({ status: 200 }),
      async (server) => {
        const error = await pipeline()
          .send(get(server.accountUrl), { abortSignal: AbortSignal.abort() })
          .catch((e: unknown) => e);
        assert.ok(error instanceof ShareError && error.isAborted);
        assert.equal(server.requests.length, 0);
      },
    );
  });

  test("a SAS credential appends its token to every attempt; errors redact the signature", async () => {
    let calls = 0;
    await withServer(
      () =>
        ++calls === 1
          ? { status: 500 }
          : { status: 403, headers: { "x-ms-error-code": "AuthenticationFailed" } },
      async (server) => {
        const error = await pipeline(fastRetry, new SasCredential("?sv=2026-06-06&sig=secret%2B"))
          .send(get(`${server.accountUrl}?comp=list`))
          .catch((e: unknown) => e);
        assert.equal(server.requests.length, 2);
        for (const request of server.requests) {
          assert.equal(request.rawUrl, "/devstoreaccount1?comp=list&sv=2026-06-06&sig=secret%2B");
        }
        assert.ok(error instanceof ShareError);
        assert.equal(error.errorCode, "AuthenticationFailed");
        assert.ok(error.url?.includes("sig=REDACTED"));
        assert.ok(!error.url?.includes("secret"));
      },
    );
  });

  test("sequential calls share one keep-alive connection, across pipelines", async () => {
    await withServer(
      () => ({ status: 200, body: "ok" }),
      async (server) => {
        for (let i = 0; i < 10; i++) {
          assert.equal((await pipeline().send(get(`${server.accountUrl}?i=${i}`))).bodyText, "ok");
        }
        assert.equal(server.requests.length, 10);
        assert.equal(server.connections, 1);
      },
    );
  });

  test("a fetch given in the options sends every attempt, retries included", async () => {
    let calls = 0;
    const seen: string[] = [];
    await withServer(
      () => (++calls === 1 ? { status: 500 } : { status: 200, body: "via fetch" }),
      async (server) => {
        const viaFetch = new Pipeline({
          credential: new AnonymousCredential(),
          retry: fastRetry,
          fetch: (input, init) => {
            seen.push(`${init.method} ${input.pathname}`);
            return fetch(input, init);
          },
        });
        const response = await viaFetch.send(get(`${server.accountUrl}/s`));
        assert.equal(response.bodyText, "via fetch");
        assert.deepEqual(seen, ["GET /devstoreaccount1/s", "GET /devstoreaccount1/s"]);
      },
    );
  });

  test("a request body is sent again on retry", async () => {
    let calls = 0;
    await withServer(
      () => (++calls === 1 ? { status: 503 } : { status: 201 }),
      async (server) => {
        await pipeline().send(
          {
            method: "PUT",
            url: new URL(`${server.accountUrl}/s/f?comp=range`),
            headers: new Headers(),
            body: Buffer.from("hello"),
          },
          { body: "none" },
        );
        assert.deepEqual(
          server.requests.map((r) => r.body.toString()),
          ["hello", "hello"],
        );
        assert.equal(server.requests[1]?.headers["content-length"], "5");
      },
    );
  });
});
