import type { CorsRule, Metrics, ServiceProperties, ShareProtocolSettings } from "./models.js";
import { parseXml, XML_DECLARATION, type XmlElement, xmlElement } from "./xml.js";

/** Parses a Get File Service Properties response body. */
export function parseServiceProperties(body: string): ServiceProperties {
  const root = parseXml(body);
  const result: ServiceProperties = {};
  const hour = root.child("HourMetrics");
  if (hour) result.hourMetrics = parseMetrics(hour);
  const minute = root.child("MinuteMetrics");
  if (minute) result.minuteMetrics = parseMetrics(minute);
  const cors = root.child("Cors");
  if (cors) result.cors = cors.all("CorsRule").map(parseCorsRule);
  const protocol = root.child("ProtocolSettings");
  if (protocol) result.protocol = parseProtocol(protocol);
  return result;
}

/** Writes the Set File Service Properties request body; parts left `undefined` are omitted. */
export function serializeServiceProperties(properties: ServiceProperties): string {
  const parts = [
    properties.hourMetrics ? xmlElement("HourMetrics", metricsChildren(properties.hourMetrics)) : "",
    properties.minuteMetrics ? xmlElement("MinuteMetrics", metricsChildren(properties.minuteMetrics)) : "",
    properties.cors
      ? xmlElement(
          "Cors",
          properties.cors.map((rule) =>
            xmlElement("CorsRule", [
              xmlElement("AllowedOrigins", rule.allowedOrigins.join(",")),
              xmlElement("AllowedMethods", rule.allowedMethods.join(",")),
              xmlElement("AllowedHeaders", rule.allowedHeaders.join(",")),
              xmlElement("ExposedHeaders", rule.exposedHeaders.join(",")),
              xmlElement("MaxAgeInSeconds", rule.maxAgeInSeconds),
            ]),
          ),
        )
      : "",
    properties.protocol ? xmlElement("ProtocolSettings", protocolChildren(properties.protocol)) : "",
  ];
  return `${XML_DECLARATION}${xmlElement("StorageServiceProperties", parts)}`;
}

function metricsChildren(metrics: Metrics): string[] {
  return [
    xmlElement("Version", metrics.version),
    xmlElement("Enabled", metrics.enabled),
    xmlElement("IncludeAPIs", metrics.enabled ? metrics.includeApis : undefined),
    metrics.retentionPolicy
      ? xmlElement("RetentionPolicy", [
          xmlElement("Enabled", metrics.retentionPolicy.enabled),
          xmlElement("Days", metrics.retentionPolicy.enabled ? metrics.retentionPolicy.days : undefined),
        ])
      : "",
  ];
}

function protocolChildren(protocol: ShareProtocolSettings): string[] {
  const smb = protocol.smb;
  const nfs = protocol.nfs;
  return [
    smb
      ? xmlElement("SMB", [
          smb.multichannel
            ? xmlElement("Multichannel", [xmlElement("Enabled", smb.multichannel.enabled)])
            : "",
          smb.encryptionInTransit
            ? xmlElement("EncryptionInTransit", [xmlElement("Required", smb.encryptionInTransit.required)])
            : "",
        ])
      : "",
    nfs
      ? xmlElement("NFS", [
          nfs.encryptionInTransit
            ? xmlElement("EncryptionInTransit", [xmlElement("Required", nfs.encryptionInTransit.required)])
            : "",
        ])
      : "",
  ];
}

function parseMetrics(element: XmlElement): Metrics {
  const retention = element.child("RetentionPolicy");
  const includeApis = element.childText("IncludeAPIs");
  const days = retention?.childText("Days");
  return {
    version: element.childText("Version") ?? "1.0",
    enabled: element.childText("Enabled") === "true",
    includeApis: includeApis === undefined ? undefined : includeApis === "true",
    retentionPolicy: retention
      ? { enabled: retention.childText("Enabled") === "true", days: days ? Number(days) : undefined }
      : undefined,
  };
}

function parseCorsRule(element: XmlElement): CorsRule {
  const list = (name: string) =>
    (element.childText(name) ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  return {
    allowedOrigins: list("AllowedOrigins"),
    allowedMethods: list("AllowedMethods"),
    allowedHeaders: list("AllowedHeaders"),
    exposedHeaders: list("ExposedHeaders"),
    maxAgeInSeconds: Number(element.childText("MaxAgeInSeconds") ?? "0"),
  };
}

function parseProtocol(element: XmlElement): ShareProtocolSettings {
  const result: ShareProtocolSettings = {};
  const smb = element.child("SMB");
  if (smb) {
    const multichannel = smb.child("Multichannel");
    const encryption = smb.child("EncryptionInTransit");
    result.smb = {
      multichannel: multichannel ? { enabled: multichannel.childText("Enabled") === "true" } : undefined,
      encryptionInTransit: encryption ? { required: encryption.childText("Required") === "true" } : undefined,
    };
  }
  const nfs = element.child("NFS");
  if (nfs) {
    const encryption = nfs.child("EncryptionInTransit");
    result.nfs = {
      encryptionInTransit: encryption ? { required: encryption.childText("Required") === "true" } : undefined,
    };
  }
  return result;
}
