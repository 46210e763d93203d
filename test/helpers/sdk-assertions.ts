import assert from "node:assert/strict";
import type { RestError } from "@azure/storage-file-share";

/**
 * Asserts that an official-SDK call fails with this HTTP status and Azure error code
 * (`x-ms-error-code`), and returns the error for further checks.
 */
export async function rejectsWith(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<RestError> {
  let caught: RestError | undefined;
  await assert.rejects(promise, (err: RestError) => {
    assert.equal(err.statusCode, status, `status of ${err.message}`);
    assert.equal(
      err.code ?? (err.response?.headers.get("x-ms-error-code") as string),
      code,
      `code of ${err.message}`,
    );
    caught = err;
    return true;
  });
  return caught as RestError;
}
