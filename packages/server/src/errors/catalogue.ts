import { StorageError } from "./storage-error.js";

/**
 * The catalogue of every error the service sends: one function per Azure error code, holding the
 * status and the message text Azure uses. Nothing else in the server invents a status or a code.
 */
export const errors = {
  // --- request shape -------------------------------------------------------------------------
  invalidHeaderValue: (name: string, value: string) =>
    new StorageError(
      400,
      "InvalidHeaderValue",
      "The value for one of the HTTP headers is not in the correct format.",
      [
        ["HeaderName", name],
        ["HeaderValue", value],
      ],
    ),
  missingRequiredHeader: (name: string) =>
    new StorageError(
      400,
      "MissingRequiredHeader",
      "An HTTP header that's mandatory for this request is not specified.",
      [["HeaderName", name]],
    ),
  invalidQueryParameterValue: (name: string, value: string, reason = "") =>
    new StorageError(
      400,
      "InvalidQueryParameterValue",
      "Value for one of the query parameters specified in the request URI is invalid.",
      [
        ["QueryParameterName", name],
        ["QueryParameterValue", value],
        ...(reason ? [["Reason", reason] as const] : []),
      ],
    ),
  missingRequiredQueryParameter: (name: string) =>
    new StorageError(
      400,
      "MissingRequiredQueryParameter",
      "A query parameter that's mandatory for this request is not specified.",
      [["QueryParameterName", name]],
    ),
  invalidUri: () =>
    new StorageError(400, "InvalidUri", "The requested URI does not represent any resource on the server."),
  invalidResourceName: () =>
    new StorageError(400, "InvalidResourceName", "The specifed resource name contains invalid characters."),
  outOfRangeInput: (what = "One of the request inputs is out of range.") =>
    new StorageError(400, "OutOfRangeInput", what),
  invalidInput: (what = "One of the request inputs is not valid.") =>
    new StorageError(400, "InvalidInput", what),
  invalidMetadata: () =>
    new StorageError(
      400,
      "InvalidMetadata",
      "The metadata specified is invalid. It has characters that are not permitted.",
    ),
  metadataTooLarge: () =>
    new StorageError(
      400,
      "MetadataTooLarge",
      "The size of the specified metadata exceeds the maximum size permitted.",
    ),
  emptyMetadataKey: (key: string) =>
    new StorageError(400, "EmptyMetadataKey", `The key for one of the metadata key-value pairs is empty.`, [
      ["Key", key],
    ]),
  invalidXmlDocument: () =>
    new StorageError(400, "InvalidXmlDocument", "XML specified is not syntactically valid."),
  invalidXmlNodeValue: (node: string, value: string) =>
    new StorageError(
      400,
      "InvalidXmlNodeValue",
      "The value for one of the XML nodes is not in the correct format.",
      [
        ["XmlNodeName", node],
        ["XmlNodeValue", value],
      ],
    ),
  requestBodyTooLarge: () =>
    new StorageError(
      413,
      "RequestBodyTooLarge",
      "The request body is too large and exceeds the maximum permissible limit.",
    ),
  md5Mismatch: (expected: string, actual: string) =>
    new StorageError(
      400,
      "Md5Mismatch",
      "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
      [
        ["UserSpecifiedMd5", expected],
        ["ServerCalculatedMd5", actual],
      ],
    ),
  crc64Mismatch: (expected: string, actual: string) =>
    new StorageError(
      400,
      "Crc64Mismatch",
      "The CRC64 value specified in the request did not match with the CRC64 value calculated by the server.",
      [
        ["UserSpecifiedCrc64", expected],
        ["ServerCalculatedCrc64", actual],
      ],
    ),
  invalidRange: () =>
    new StorageError(
      416,
      "InvalidRange",
      "The range specified is invalid for the current size of the resource.",
    ),
  unsupportedHttpVerb: (verb: string) =>
    new StorageError(405, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.", [
      ["Verb", verb],
    ]),
  missingContentLength: () =>
    new StorageError(411, "MissingContentLengthHeader", "The Content-Length header was not specified."),
  corsPreflightFailure: () =>
    new StorageError(
      403,
      "CorsPreflightFailure",
      "CORS not enabled or no matching rule found for this request.",
    ),
  internalError: () =>
    new StorageError(
      500,
      "InternalError",
      "The server encountered an internal error. Please retry the request.",
    ),

  // --- authentication and authorization ---------------------------------------------------------
  authenticationFailed: (detail: string) =>
    new StorageError(
      403,
      "AuthenticationFailed",
      "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
      [["AuthenticationErrorDetail", detail]],
    ),
  noAuthenticationInformation: () =>
    new StorageError(
      401,
      "NoAuthenticationInformation",
      "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
      [],
      { "www-authenticate": 'SharedKey realm="sharelock"' },
    ),
  invalidAuthenticationInfo: (detail: string) =>
    new StorageError(
      400,
      "InvalidAuthenticationInfo",
      "Authentication information is not given in the correct format. Check the value of Authorization header.",
      [["AuthenticationErrorDetail", detail]],
    ),
  authorizationPermissionMismatch: () =>
    new StorageError(
      403,
      "AuthorizationPermissionMismatch",
      "This request is not authorized to perform this operation using this permission.",
    ),
  authorizationResourceTypeMismatch: (required: string) =>
    new StorageError(
      403,
      "AuthorizationResourceTypeMismatch",
      "This request is not authorized to perform this operation using this resource type.",
      [["ExtendedErrorDetail", `SignedResourceTypes '${required}' is required to perform this operation.`]],
    ),
  authorizationServiceMismatch: () =>
    new StorageError(
      403,
      "AuthorizationServiceMismatch",
      "This request is not authorized to perform this operation using this service.",
    ),
  authorizationSourceIPMismatch: (ip: string) =>
    new StorageError(
      403,
      "AuthorizationSourceIPMismatch",
      `This request is not authorized to perform this operation using this source IP ${ip}.`,
    ),
  authorizationProtocolMismatch: () =>
    new StorageError(
      403,
      "AuthorizationProtocolMismatch",
      "This request is not authorized to perform this operation using this protocol.",
    ),
  // --- conditions --------------------------------------------------------------------------------
  conditionHeadersNotSupported: () =>
    new StorageError(400, "ConditionHeadersNotSupported", "Condition headers are not supported."),

  // --- shares --------------------------------------------------------------------------------------
  shareNotFound: () => new StorageError(404, "ShareNotFound", "The specified share does not exist."),
  shareAlreadyExists: () =>
    new StorageError(409, "ShareAlreadyExists", "The specified share already exists."),
  shareHasSnapshots: () =>
    new StorageError(
      409,
      "ShareHasSnapshots",
      "The share has snapshots and the operation requires no snapshots.",
    ),
  deleteShareWhenSnapshotLeased: () =>
    new StorageError(
      409,
      "DeleteShareWhenSnapshotLeased",
      "Unable to delete share because one or more share snapshots have active leases. Release the share snapshot leases or delete the share with the include-leased parameter for x-ms-delete-snapshots.",
    ),
  shareSnapshotNotFound: () =>
    new StorageError(404, "ShareSnapshotNotFound", "The specified share snapshot does not exist."),
  shareSnapshotOperationNotSupported: () =>
    new StorageError(
      400,
      "ShareSnapshotOperationNotSupported",
      "The operation is not supported on a share snapshot.",
    ),
  shareSnapshotCountExceeded: () =>
    new StorageError(
      409,
      "ShareSnapshotCountExceeded",
      "The total number of snapshots for the share is over the limit.",
    ),
  // --- directories and files ----------------------------------------------------------------------
  parentNotFound: () => new StorageError(404, "ParentNotFound", "The specified parent path does not exist."),
  resourceNotFound: () => new StorageError(404, "ResourceNotFound", "The specified resource does not exist."),
  resourceAlreadyExists: () =>
    new StorageError(409, "ResourceAlreadyExists", "The specified resource already exists."),
  resourceTypeMismatch: () =>
    new StorageError(
      409,
      "ResourceTypeMismatch",
      "The specified resource type does not match the type of the existing resource.",
    ),
  directoryNotEmpty: () =>
    new StorageError(409, "DirectoryNotEmpty", "The specified directory is not empty."),
  invalidFileOrDirectoryPathName: () =>
    new StorageError(
      400,
      "InvalidFileOrDirectoryPathName",
      "File or directory path is too long or has too many subdirectories.",
    ),
  readOnlyAttribute: () =>
    new StorageError(
      409,
      "ReadOnlyAttribute",
      "The specified resource is read-only and cannot be modified at this time.",
    ),
  filePermissionTooLarge: () =>
    new StorageError(
      400,
      "InvalidHeaderValue",
      "The value for one of the HTTP headers is not in the correct format.",
      [["HeaderName", "x-ms-file-permission"]],
    ),
  noPendingCopyOperation: () =>
    new StorageError(409, "NoPendingCopyOperation", "There is currently no pending copy operation."),
  /**
   * The copy source (Copy File, Put Range From URL) could not be read: Azure answers with the
   * source's own status and names its code and message in `x-ms-copy-source-*` headers and body.
   */
  cannotVerifyCopySource: (sourceStatus: number, sourceCode: string, sourceMessage: string) =>
    new StorageError(
      sourceStatus,
      "CannotVerifyCopySource",
      sourceMessage,
      [
        ["CopySourceStatusCode", String(sourceStatus)],
        ["CopySourceErrorCode", sourceCode],
        ["CopySourceErrorMessage", sourceMessage],
      ],
      {
        "x-ms-copy-source-status-code": String(sourceStatus),
        "x-ms-copy-source-error-code": sourceCode,
      },
    ),
  /** A copy source on another host: this server reads only what it holds and fetches no URLs. */
  copySourceNotOnThisServer: (host: string) =>
    new StorageError(
      400,
      "CannotVerifyCopySource",
      "Could not verify the copy source within the specified time. Examine the HTTP status code and message for more information about the failure.",
      [
        [
          "CopySourceErrorMessage",
          `The copy source host '${host}' is not served here; remote sources are not fetched.`,
        ],
      ],
    ),
  /** x-ms-source-if-match-crc64 / x-ms-source-if-none-match-crc64 not met by the source range. */
  sourceConditionNotMet: () =>
    new StorageError(
      412,
      "SourceConditionNotMet",
      "The source condition specified using HTTP conditional header(s) is not met.",
    ),

  // --- leases ----------------------------------------------------------------------------------------
  leaseAlreadyPresent: () =>
    new StorageError(409, "LeaseAlreadyPresent", "There is already a lease present."),
  leaseNotPresentWithLeaseOperation: (what: LeaseTarget) =>
    new StorageError(
      409,
      "LeaseNotPresentWithLeaseOperation",
      `There is currently no lease on the ${noun(what)}.`,
    ),
  leaseIdMismatchWithLeaseOperation: (what: LeaseTarget) =>
    new StorageError(
      409,
      "LeaseIdMismatchWithLeaseOperation",
      `The lease ID specified did not match the lease ID for the ${noun(what)}.`,
    ),
  leaseIsBreakingAndCannotBeAcquired: () =>
    new StorageError(
      409,
      "LeaseIsBreakingAndCannotBeAcquired",
      "There is already a breaking lease present and the lease ID specified did not match.",
    ),
  leaseIsBreakingAndCannotBeChanged: () =>
    new StorageError(
      409,
      "LeaseIsBreakingAndCannotBeChanged",
      "The lease ID specified did not match the lease ID of the breaking lease, or the lease is breaking and cannot be changed.",
    ),
  leaseIsBrokenAndCannotBeRenewed: () =>
    new StorageError(
      409,
      "LeaseIsBrokenAndCannotBeRenewed",
      "The lease ID matched, but the lease has been broken explicitly and cannot be renewed.",
    ),
  leaseIdMissing: (what: LeaseTarget) =>
    new StorageError(
      412,
      "LeaseIdMissing",
      `There is currently a lease on the ${noun(what)} and no lease ID was specified in the request.`,
    ),
  leaseIdMismatchWithOperation: (what: LeaseTarget) =>
    new StorageError(
      412,
      what === "file" ? "LeaseIdMismatchWithFileOperation" : "LeaseIdMismatchWithContainerOperation",
      `The lease ID specified did not match the lease ID for the ${noun(what)}.`,
    ),
  leaseNotPresentWithOperation: (what: LeaseTarget) =>
    new StorageError(
      412,
      what === "file" ? "LeaseNotPresentWithFileOperation" : "LeaseNotPresentWithContainerOperation",
      `There is currently no lease on the ${noun(what)}.`,
    ),
  leaseLost: (what: LeaseTarget) =>
    new StorageError(
      412,
      "LeaseLost",
      `A lease ID was specified, but the lease for the ${noun(what)} has expired.`,
    ),
} as const;

/** What a lease is held on; decides the wording and, for 412s, the code family. */
export type LeaseTarget = "file" | "share";

function noun(what: LeaseTarget): string {
  return what === "file" ? "file" : "file share";
}
