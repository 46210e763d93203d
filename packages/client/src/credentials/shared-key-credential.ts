import { createHmac } from "node:crypto";
import type { PipelineRequest } from "../pipeline/request.js";
import { sharedKeyStringToSign } from "../signing/shared-key-string-to-sign.js";
import type { Credential } from "./credential.js";

/**
 * Authorizes requests with an account name and key (the `SharedKey` scheme):
 * `Authorization: SharedKey <account>:<base64 HMAC-SHA256 of the string-to-sign>`.
 *
 * @example
 * ```ts
 * const credential = new SharedKeyCredential("myaccount", process.env.ACCOUNT_KEY!);
 * const file = new ShareFileClient("https://myaccount.file.core.windows.net/documents/important_file.txt", credential);
 * ```
 */
export class SharedKeyCredential implements Credential {
  /** The storage account name; also the first part of every canonicalized resource. */
  readonly accountName: string;
  readonly #key: Buffer;

  /**
   * @param accountName - The storage account name.
   * @param accountKey - The account key, base64-encoded as the portal and connection strings show it.
   */
  constructor(accountName: string, accountKey: string) {
    if (!accountName) throw new TypeError("SharedKeyCredential needs an account name.");
    const key = Buffer.from(accountKey ?? "", "base64");
    if (key.length === 0) throw new TypeError("SharedKeyCredential needs a non-empty base64 account key.");
    this.accountName = accountName;
    this.#key = key;
  }

  /**
   * Signs `text` with the account key: base64(HMAC-SHA256(key, UTF-8 text)).
   * Also used to sign SAS tokens.
   */
  computeHmacSha256(text: string): string {
    return createHmac("sha256", this.#key).update(text, "utf8").digest("base64");
  }

  /** Sets the `Authorization` header for this attempt of the request. */
  authorizeRequest(request: PipelineRequest): void {
    const stringToSign = sharedKeyStringToSign(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        contentLength: request.body?.byteLength,
      },
      this.accountName,
    );
    request.headers.set(
      "authorization",
      `SharedKey ${this.accountName}:${this.computeHmacSha256(stringToSign)}`,
    );
  }
}
