/**
 * Helpers for the tests that run `@sharelock/client` against a live Sharelock server: clients for
 * both SDKs, error assertions, and a fetch that counts what the SDK sends.
 */
import assert from "node:assert/strict";
import { ShareServiceClient as AzureShareServiceClient, RestError } from "@azure/storage-file-share";
import {
  type ClientOptions,
  type FetchLike,
  ShareError,
  type ShareErrorKind,
  ShareServiceClient,
} from "../../packages/client/src/index.js";
import type { TestServer } from "./server.js";

/** Retries that do not slow a test down (failures that are retried are retried quickly). */
export const FAST_RETRIES: ClientOptions = { retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20 } };

/** Our SDK's service client for a test server. */
export function ourService(ts: TestServer, options: ClientOptions = FAST_RETRIES): ShareServiceClient {
  return ShareServiceClient.fromConnectionString(ts.connectionString, options);
}

/** The official SDK's service client for a test server. */
export function azureService(ts: TestServer): AzureShareServiceClient {
  return AzureShareServiceClient.fromConnectionString(ts.connectionString);
}

/** What a {@link ShareError} is expected to carry. */
export interface ExpectedShareError {
  status?: number;
  code?: string;
  kind?: ShareErrorKind;
}

/**
 * Asserts that `promise` rejects with a {@link ShareError} of this status, code and kind (default
 * `service`). A service error must also carry the service's request id and the headers.
 * @returns The error, for further checks.
 */
export async function rejectsWithShareError(
  promise: Promise<unknown>,
  expected: ExpectedShareError,
): Promise<ShareError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught !== undefined,
    `expected a ShareError ${JSON.stringify(expected)}, but the call succeeded`,
  );
  assert.ok(caught instanceof ShareError, `expected a ShareError, got ${String(caught)}`);
  const kind = expected.kind ?? "service";
  assert.equal(caught.kind, kind, caught.message);
  if (expected.status !== undefined) assert.equal(caught.statusCode, expected.status, caught.message);
  if (expected.code !== undefined) assert.equal(caught.errorCode, expected.code, caught.message);
  if (kind === "service") {
    assert.match(caught.requestId ?? "", /^[0-9a-f-]{36}$/, "a service error carries x-ms-request-id");
    assert.equal(caught.headers.get("x-ms-request-id"), caught.requestId);
    if (caught.errorCode !== undefined) assert.equal(caught.headers.get("x-ms-error-code"), caught.errorCode);
  }
  return caught;
}

/** Asserts that a promise from the official SDK rejects with this status and error code. */
export async function rejectsWithRestError(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<RestError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof RestError, `expected a RestError ${status} ${code}, got ${String(caught)}`);
  assert.equal(caught.statusCode, status, caught.message);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** One request the SDK sent through a {@link CountingFetch}. */
export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
}

/** A fetch that records every request (each retry attempt included) and passes it on. */
export interface CountingFetch {
  fetch: FetchLike;
  requests: SentRequest[];
}

/** Creates a {@link CountingFetch} over the platform fetch. */
export function countingFetch(): CountingFetch {
  const requests: SentRequest[] = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push({
        method: init.method ?? "GET",
        url: new URL(input),
        headers: new Headers(init.headers),
      });
      return fetch(input, init);
    },
  };
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
