import {
  type CorsRule,
  getServiceProperties,
  type MetricsSettings,
  type ServiceProperties,
  setServiceProperties,
} from "../../engine/service.js";
import { listShares } from "../../engine/shares.js";
import { httpDate } from "../../engine/times.js";
import { errors } from "../../errors/catalogue.js";
import { readBody } from "../body.js";
import type { RequestContext } from "../context.js";
import { intQuery } from "../request-headers.js";
import { send } from "../respond.js";
import { serviceEndpoint } from "../urls.js";
import { parseXml, xmlDocument } from "../xml.js";
import { leaseListProperties } from "./lease-headers.js";

const MAX_PROPERTIES_BODY = 64 * 1024;

function metricsXml(m: MetricsSettings): Record<string, unknown> {
  return {
    Version: m.version,
    Enabled: String(m.enabled),
    ...(m.enabled ? { IncludeAPIs: String(m.includeAPIs ?? false) } : {}),
    RetentionPolicy: {
      Enabled: String(m.retentionDays !== undefined),
      ...(m.retentionDays !== undefined ? { Days: m.retentionDays } : {}),
    },
  };
}

/** Get File Service Properties (always with ProtocolSettings, as Azure sends it). */
export async function handleGetServiceProperties(ctx: RequestContext): Promise<void> {
  const props = await getServiceProperties(ctx.deps.engine, ctx.target.account);
  const body = xmlDocument({
    StorageServiceProperties: {
      HourMetrics: metricsXml(props.hourMetrics),
      MinuteMetrics: metricsXml(props.minuteMetrics),
      Cors:
        props.cors.length === 0
          ? ""
          : {
              CorsRule: props.cors.map((r) => ({
                AllowedOrigins: r.allowedOrigins,
                AllowedMethods: r.allowedMethods,
                AllowedHeaders: r.allowedHeaders,
                ExposedHeaders: r.exposedHeaders,
                MaxAgeInSeconds: r.maxAgeInSeconds,
              })),
            },
      ProtocolSettings: { SMB: { Multichannel: { Enabled: String(props.protocol.smbMultichannelEnabled) } } },
    },
  });
  send(ctx, 200, {}, body);
}

function text(node: unknown, name: string): string | undefined {
  if (node === null || typeof node !== "object") return undefined;
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "object" ? "" : String(v);
}

function bool(node: unknown, name: string, path: string): boolean | undefined {
  const v = text(node, name);
  if (v === undefined) return undefined;
  if (v !== "true" && v !== "false") throw errors.invalidXmlNodeValue(`${path}.${name}`, v);
  return v === "true";
}

function parseMetrics(node: unknown, name: string): MetricsSettings {
  const version = text(node, "Version") ?? "1.0";
  const enabled = bool(node, "Enabled", name);
  if (enabled === undefined) throw errors.invalidXmlDocument();
  const policy = (node as Record<string, unknown>).RetentionPolicy;
  const retentionEnabled = bool(policy, "Enabled", `${name}.RetentionPolicy`) ?? false;
  const daysText = text(policy, "Days");
  let retentionDays: number | undefined;
  if (retentionEnabled) {
    const days = Number(daysText);
    if (!daysText || !Number.isInteger(days) || days < 1 || days > 365) {
      throw errors.invalidXmlNodeValue("Days", daysText ?? "");
    }
    retentionDays = days;
  }
  const includeAPIs = bool(node, "IncludeAPIs", name);
  return {
    version,
    enabled,
    ...(enabled ? { includeAPIs: includeAPIs ?? false } : {}),
    ...(retentionDays !== undefined ? { retentionDays } : {}),
  };
}

function parseCors(node: unknown): CorsRule[] {
  if (node === "" || node === undefined) return [];
  const rules = (node as { CorsRule?: unknown[] }).CorsRule ?? [];
  if (rules.length > 5) throw errors.invalidXmlDocument();
  return rules.map((r) => {
    const maxAge = Number(text(r, "MaxAgeInSeconds"));
    const rule = {
      allowedOrigins: text(r, "AllowedOrigins") ?? "",
      allowedMethods: text(r, "AllowedMethods") ?? "",
      allowedHeaders: text(r, "AllowedHeaders") ?? "",
      exposedHeaders: text(r, "ExposedHeaders") ?? "",
      maxAgeInSeconds: maxAge,
    };
    if (!rule.allowedOrigins || !rule.allowedMethods || !Number.isInteger(maxAge) || maxAge < 0) {
      throw errors.invalidXmlDocument();
    }
    for (const m of rule.allowedMethods.split(",")) {
      if (!/^(DELETE|GET|HEAD|MERGE|POST|OPTIONS|PUT|PATCH)$/.test(m.trim())) {
        throw errors.invalidXmlNodeValue("AllowedMethods", rule.allowedMethods);
      }
    }
    return rule;
  });
}

/** Set File Service Properties: 202, the parts present replace the stored ones. */
export async function handleSetServiceProperties(ctx: RequestContext): Promise<void> {
  const doc = parseXml(await readBody(ctx, MAX_PROPERTIES_BODY));
  const root = doc.StorageServiceProperties;
  if (root === undefined || root === null || typeof root !== "object") throw errors.invalidXmlDocument();
  const r = root as Record<string, unknown>;
  const update: Partial<ServiceProperties> = {};
  if (r.HourMetrics !== undefined) update.hourMetrics = parseMetrics(r.HourMetrics, "HourMetrics");
  if (r.MinuteMetrics !== undefined) update.minuteMetrics = parseMetrics(r.MinuteMetrics, "MinuteMetrics");
  if (r.Cors !== undefined) update.cors = parseCors(r.Cors);
  if (r.ProtocolSettings !== undefined) {
    const smb = (r.ProtocolSettings as Record<string, unknown>)?.SMB as Record<string, unknown> | undefined;
    const enabled = bool(smb?.Multichannel, "Enabled", "Multichannel");
    update.protocol = { smbMultichannelEnabled: enabled ?? false };
  }
  await setServiceProperties(ctx.deps.engine, ctx.target.account, update);
  send(ctx, 202, {});
}

/** List Shares. */
export async function handleListShares(ctx: RequestContext): Promise<void> {
  const prefix = ctx.query.get("prefix") ?? undefined;
  const marker = ctx.query.get("marker") ?? undefined;
  const maxResults = intQuery(ctx, "maxresults", 1, 5000) ?? 5000;
  const include = (ctx.query.get("include") ?? "")
    .toLowerCase()
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of include) {
    if (!["metadata", "snapshots", "deleted"].includes(i))
      throw errors.invalidQueryParameterValue("include", i);
  }
  const page = await listShares(ctx.deps.engine, {
    account: ctx.target.account,
    maxResults,
    includeSnapshots: include.includes("snapshots"),
    ...(prefix ? { prefix } : {}),
    ...(marker ? { marker } : {}),
  });
  const now = ctx.deps.engine.clock.now();
  const shares = page.items.map((s) => ({
    Name: s.name,
    ...(s.snapshot ? { Snapshot: s.snapshot } : {}),
    Properties: {
      "Last-Modified": httpDate(s.lastModified),
      Etag: s.etag,
      Quota: s.quotaGiB,
      AccessTier: s.accessTier,
      AccessTierChangeTime: httpDate(s.accessTierChangeTime),
      EnabledProtocols: s.enabledProtocols,
      ...leaseListProperties(s.lease, now),
    },
    ...(include.includes("metadata") ? { Metadata: s.metadata } : {}),
  }));
  const body = xmlDocument({
    EnumerationResults: {
      "@ServiceEndpoint": serviceEndpoint(ctx),
      ...(prefix ? { Prefix: prefix } : {}),
      ...(marker ? { Marker: marker } : {}),
      ...(ctx.query.has("maxresults") ? { MaxResults: maxResults } : {}),
      Shares: shares.length === 0 ? "" : { Share: shares },
      NextMarker: page.nextMarker ?? "",
    },
  });
  send(ctx, 200, {}, body);
}
