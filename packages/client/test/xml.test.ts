import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  parseDirectoryListing,
  parseRangeList,
  parseShareListing,
  parseShareStats,
} from "../src/listing-xml.js";
import { shareErrorFromResponse } from "../src/pipeline/errors.js";
import { parseServiceProperties, serializeServiceProperties } from "../src/service-properties-xml.js";
import { parseXml } from "../src/xml.js";

describe("XML parsing", () => {
  test("element tree keeps order, attributes, entities and untrimmed leaf text", () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0"?><a x="1 &amp; 2"><b> sp </b><c/><b>&lt;&#x41;&#66;&gt;</b></a>',
    );
    assert.equal(root.name, "a");
    assert.equal(root.attributes.x, "1 & 2");
    assert.deepEqual(
      root.children.map((c) => c.name),
      ["b", "c", "b"],
    );
    assert.deepEqual(
      root.all("b").map((b) => b.text),
      [" sp ", "<AB>"],
    );
    assert.equal(root.childText("c"), "");
    assert.equal(root.childText("missing"), undefined);
  });

  test("share listing: names stay strings, properties, lease, metadata, snapshots, next marker", () => {
    const body = `<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1:10004/devstoreaccount1/">
  <Prefix>0</Prefix>
  <MaxResults>2</MaxResults>
  <Shares>
    <Share>
      <Name>007</Name>
      <Properties>
        <Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified>
        <Etag>"0x8D"</Etag>
        <Quota>5120</Quota>
        <LeaseStatus>locked</LeaseStatus>
        <LeaseState>leased</LeaseState>
        <LeaseDuration>fixed</LeaseDuration>
        <AccessTier>TransactionOptimized</AccessTier>
      </Properties>
      <Metadata><Owner>ops</Owner><empty /></Metadata>
    </Share>
    <Share>
      <Name>007</Name>
      <Snapshot>2024-01-02T00:00:00.0000000Z</Snapshot>
      <Properties><Etag>"0x8E"</Etag><Quota>1</Quota></Properties>
    </Share>
  </Shares>
  <NextMarker>/devstoreaccount1/1</NextMarker>
</EnumerationResults>`;
    const page = parseShareListing(body);
    assert.equal(page.continuationToken, "/devstoreaccount1/1");
    assert.equal(page.items.length, 2);
    const [first, second] = page.items;
    assert.equal(first?.name, "007");
    assert.equal(first?.quota, 5120);
    assert.equal(first?.etag, '"0x8D"');
    assert.equal(first?.lastModified?.toISOString(), "2024-01-01T00:00:00.000Z");
    assert.deepEqual(first?.lease, { status: "locked", state: "leased", duration: "fixed" });
    assert.deepEqual(first?.metadata, { owner: "ops", empty: "" });
    assert.equal(first?.accessTier, "TransactionOptimized");
    assert.equal(second?.snapshot, "2024-01-02T00:00:00.0000000Z");
    assert.deepEqual(second?.lease, { status: "unlocked", state: "available", duration: undefined });
    assert.equal(
      parseShareListing("<EnumerationResults><Shares/><NextMarker/></EnumerationResults>").continuationToken,
      undefined,
    );
  });

  test("directory listing keeps the service's order and decodes Encoded names", () => {
    const body = `<EnumerationResults ServiceEndpoint="x" ShareName="s" DirectoryPath="d">
<Marker/><Entries>
<File><FileId>11</FileId><Name>a.txt</Name><Properties><Content-Length>12</Content-Length><CreationTime>2024-01-01T00:00:00.1234567Z</CreationTime><Etag>"e1"</Etag></Properties><Attributes>Archive</Attributes><PermissionKey>pk</PermissionKey></File>
<Directory><FileId>12</FileId><Name>b</Name><Properties/></Directory>
<File><Name Encoded="true">c%EF%BF%BF%20d</Name><Properties><Content-Length>0</Content-Length></Properties></File>
</Entries><NextMarker>m2</NextMarker><DirectoryId>9</DirectoryId></EnumerationResults>`;
    const page = parseDirectoryListing(body);
    assert.deepEqual(
      page.items.map((item) => [item.kind, item.name]),
      [
        ["file", "a.txt"],
        ["directory", "b"],
        ["file", "c\uFFFF d"],
      ],
    );
    const file = page.items[0];
    assert.ok(file?.kind === "file");
    assert.equal(file.size, 12);
    assert.equal(file.isDirectory, false);
    assert.equal(file.fileId, "11");
    assert.equal(file.fileAttributes, "Archive");
    assert.equal(file.filePermissionKey, "pk");
    assert.equal(file.etag, '"e1"');
    assert.equal(file.creationTime?.toISOString(), "2024-01-01T00:00:00.123Z");
    assert.equal(page.items[1]?.isDirectory, true);
    assert.equal(page.continuationToken, "m2");
    assert.equal(page.directoryId, "9");
  });

  test("range list, stats", () => {
    assert.deepEqual(
      parseRangeList(
        "<Ranges><Range><Start>0</Start><End>511</End></Range><ClearRange><Start>512</Start><End>1023</End></ClearRange><Range><Start>4096</Start><End>8191</End></Range></Ranges>",
      ),
      {
        ranges: [
          { start: 0, end: 511 },
          { start: 4096, end: 8191 },
        ],
        clearRanges: [{ start: 512, end: 1023 }],
      },
    );
    assert.deepEqual(parseRangeList("<Ranges />"), { ranges: [], clearRanges: [] });
    assert.equal(parseShareStats("<ShareStats><ShareUsageBytes>12345</ShareUsageBytes></ShareStats>"), 12345);
  });

  test("service properties round trip, omitting parts not given", () => {
    const properties = {
      hourMetrics: {
        version: "1.0",
        enabled: true,
        includeApis: true,
        retentionPolicy: { enabled: true, days: 7 },
      },
      minuteMetrics: { version: "1.0", enabled: false, retentionPolicy: { enabled: false } },
      cors: [
        {
          allowedOrigins: ["https://a.example", "https://b.example"],
          allowedMethods: ["GET", "PUT"],
          allowedHeaders: ["x-ms-meta-*"],
          exposedHeaders: ["*"],
          maxAgeInSeconds: 60,
        },
      ],
      protocol: { smb: { multichannel: { enabled: true } } },
    };
    const xml = serializeServiceProperties(properties);
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="utf-8"?><StorageServiceProperties>' +
        "<HourMetrics><Version>1.0</Version><Enabled>true</Enabled><IncludeAPIs>true</IncludeAPIs>" +
        "<RetentionPolicy><Enabled>true</Enabled><Days>7</Days></RetentionPolicy></HourMetrics>" +
        "<MinuteMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></MinuteMetrics>" +
        "<Cors><CorsRule><AllowedOrigins>https://a.example,https://b.example</AllowedOrigins><AllowedMethods>GET,PUT</AllowedMethods>" +
        "<AllowedHeaders>x-ms-meta-*</AllowedHeaders><ExposedHeaders>*</ExposedHeaders><MaxAgeInSeconds>60</MaxAgeInSeconds></CorsRule></Cors>" +
        "<ProtocolSettings><SMB><Multichannel><Enabled>true</Enabled></Multichannel></SMB></ProtocolSettings>" +
        "</StorageServiceProperties>",
    );
    const parsed = parseServiceProperties(xml);
    assert.deepEqual(parsed.hourMetrics, properties.hourMetrics);
    assert.deepEqual(parsed.minuteMetrics, {
      version: "1.0",
      enabled: false,
      includeApis: undefined,
      retentionPolicy: { enabled: false, days: undefined },
    });
    assert.deepEqual(parsed.cors, properties.cors);
    assert.deepEqual(parsed.protocol, {
      smb: { multichannel: { enabled: true }, encryptionInTransit: undefined },
    });
    assert.equal(
      serializeServiceProperties({ cors: [] }),
      '<?xml version="1.0" encoding="utf-8"?><StorageServiceProperties><Cors></Cors></StorageServiceProperties>',
    );
  });

  test("error bodies: code, message without trailer, extra details; non-XML falls back to status text", () => {
    const request = { method: "PUT", url: new URL("http://h/a/s?sig=abc&x=1") };
    const error = shareErrorFromResponse(
      403,
      "Forbidden",
      new Headers({ "x-ms-request-id": "rid" }),
      "\uFEFF<?xml version='1.0'?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:rid\nTime:2024</Message><AuthenticationErrorDetail>The MAC signature ...</AuthenticationErrorDetail></Error>",
      request,
    );
    assert.equal(error.errorCode, "AuthenticationFailed");
    assert.equal(error.serviceMessage, "Server failed to authenticate the request.");
    assert.equal(error.details.AuthenticationErrorDetail, "The MAC signature ...");
    assert.equal(error.requestId, "rid");
    assert.equal(error.url, "http://h/a/s?sig=REDACTED&x=1");
    const plain = shareErrorFromResponse(502, "Bad Gateway", new Headers(), "upstream down", request);
    assert.equal(plain.message, "Bad Gateway (HTTP 502)");
    assert.equal(plain.errorCode, undefined);
  });
});
