/**
 * The same logical request in each server's dialect, pre-signed: Azure Files for Sharelock and the
 * bare server (which ignores the signature), Azure Blob for Azurite.
 */
import { ACCOUNT } from "./constants.mjs";
import { signedRequest } from "./shared-key.mjs";

const EMPTY = { "content-length": "0" };

function leaseAcquire(path, leaseId) {
  return signedRequest(
    "PUT",
    path,
    { comp: "lease" },
    {
      ...EMPTY,
      "x-ms-lease-action": "acquire",
      "x-ms-lease-duration": "-1",
      "x-ms-proposed-lease-id": leaseId,
    },
  );
}

function leaseRelease(path, leaseId) {
  return signedRequest(
    "PUT",
    path,
    { comp: "lease" },
    { ...EMPTY, "x-ms-lease-action": "release", "x-ms-lease-id": leaseId },
  );
}

function decodeXml(text) {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** The NextMarker of a listing page ("" on the last page) and how many entries it held. */
function parsePage(xml, entryTag) {
  const marker = /<NextMarker>([^<]*)<\/NextMarker>/.exec(xml);
  const entries = xml.split(`<${entryTag}>`).length - 1;
  return { nextMarker: marker ? decodeXml(marker[1] ?? "") : "", entries };
}

/**
 * Azure Files requests: a share holds a directory holds files.
 * @param {string} share
 */
export function filesDialect(share) {
  const file = (dir, name) => `/${ACCOUNT}/${share}/${dir ? `${dir}/` : ""}${name}`;
  return {
    /** Status codes of the requests below on success. */
    created: 201,
    /** Create the share (201 or 409 if it exists). */
    createRoot: () => signedRequest("PUT", `/${ACCOUNT}/${share}`, { restype: "share" }, EMPTY),
    /** Create a directory (files) or nothing (blobs: returns undefined). */
    createFolder: (dir) =>
      signedRequest("PUT", `/${ACCOUNT}/${share}/${dir}`, { restype: "directory" }, EMPTY),
    /** Create an empty entry. */
    createEmpty: (dir, name) =>
      signedRequest(
        "PUT",
        file(dir, name),
        {},
        { ...EMPTY, "x-ms-type": "file", "x-ms-content-length": "0" },
      ),
    leaseAcquire: (name, leaseId) => leaseAcquire(file("", name), leaseId),
    leaseRelease: (name, leaseId) => leaseRelease(file("", name), leaseId),
    /** One listing page of `dir`, `maxresults` entries after `marker`. */
    listPage: (dir, maxresults, marker) =>
      signedRequest("GET", `/${ACCOUNT}/${share}/${dir}`, {
        restype: "directory",
        comp: "list",
        maxresults: String(maxresults),
        ...(marker ? { marker } : {}),
      }),
    parsePage: (xml) => parsePage(xml, "File"),
  };
}

/**
 * Azure Blob requests: a container holds blobs; a "directory" is a container of its own.
 * @param {string} container - prefix of the container names.
 */
export function blobsDialect(container) {
  const name = (dir) => (dir ? `${container}-${dir}` : container);
  const blob = (dir, entry) => `/${ACCOUNT}/${name(dir)}/${entry}`;
  return {
    created: 201,
    createRoot: () => signedRequest("PUT", `/${ACCOUNT}/${name("")}`, { restype: "container" }, EMPTY),
    createFolder: (dir) => signedRequest("PUT", `/${ACCOUNT}/${name(dir)}`, { restype: "container" }, EMPTY),
    createEmpty: (dir, entry) =>
      signedRequest("PUT", blob(dir, entry), {}, { ...EMPTY, "x-ms-blob-type": "BlockBlob" }),
    leaseAcquire: (entry, leaseId) => leaseAcquire(blob("", entry), leaseId),
    leaseRelease: (entry, leaseId) => leaseRelease(blob("", entry), leaseId),
    listPage: (dir, maxresults, marker) =>
      signedRequest("GET", `/${ACCOUNT}/${name(dir)}`, {
        restype: "container",
        comp: "list",
        maxresults: String(maxresults),
        ...(marker ? { marker } : {}),
      }),
    parsePage: (xml) => parsePage(xml, "Blob"),
  };
}

/** The dialect a kind of server speaks. */
export function dialectFor(kind, root) {
  return kind === "azurite" ? blobsDialect(root) : filesDialect(root);
}
