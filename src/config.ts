// Every setting the app reads, parsed and validated once into typed values. Every bad value is reported at once, in
// one ConfigError naming each setting and the value it has (secrets masked); checkAppSettings adds what the app needs
// to run at all, and is what the appStart / preInvocation hooks (src/functions/appHooks.ts) check. The rest of the
// code never reads process.env directly.
import { z } from 'zod';
import { DEFAULT_ACS_TIMEOUT_MS } from './acs/AcsClientOptions.js';
import { DEFAULT_MAX_RETRIES } from './acs/decideRetry.js';
import { isLoopbackHttpUrl } from './acs/isLoopbackHttpUrl.js';
import { RECORDING_CHANNELS, RECORDING_CONTENTS, RECORDING_FORMATS, type RecordingChannel, type RecordingContent, type RecordingFormat } from './acs/models.js';
import { parseAllowedOrigin } from './acs/mediaUrlAllowList.js';
import { DEFAULT_BLOCK_SIZE_BYTES, DEFAULT_TRANSFER_CONCURRENCY } from './archive/transfer/transferDefaults.js';
import { HttpError } from './shared/errors.js';


/** Kinds of call CALL_STARTED_FILTER can select (decided from the CallStarted event; see src/calls/callKind.ts). */
export const CALL_KINDS = ['groupCalls', 'roomsCalls', 'twoPartyCalls'] as const;
export type CallKind = (typeof CALL_KINDS)[number];

export interface RecordingDefaults {
  content: RecordingContent;
  channel: RecordingChannel;
  format: RecordingFormat;
  pauseOnStart: boolean;
}

/** How ACS is reached: HMAC from a connection string, or managed identity against an endpoint. */
export type AcsAuthConfig =
  | { kind: 'connectionString'; endpoint: string; accessKey: string }
  | { kind: 'managedIdentity'; endpoint: string; clientId?: string };

export type CallbackAuthConfig = {
  /** Immutable ACS resource ID (GUID): the JWT audience. Set → every callback needs a valid ACS JWT. */
  acsResourceId?: string;
  openIdConfigUrl: string;
  /** Shared secret expected as `?token=` on callbacks and appended to every callback URI handed to ACS. */
  callbackToken?: string;
  /** `none` only when explicitly configured for local use; otherwise callbacks without auth are refused. */
  allowUnauthenticated: boolean;
};

/** A storage connection as Functions resolves it: a connection string, or identity-based `__serviceUri` settings. */
export type StorageConnection =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; blobServiceUri?: string; queueServiceUri?: string; tableServiceUri?: string; accountName?: string; clientId?: string };

export interface AppConfig {
  acs?: AcsAuthConfig;
  acsApiVersion: string;
  /** Per-request timeout for every ACS call. */
  acsRequestTimeoutMs: number;
  /** Retries after the first attempt for ACS calls. */
  acsMaxRetries: number;
  publicBaseUrl?: string;
  recordingAutoStart: boolean;
  /** Start a recording on Event Grid `CallStarted` (`RECORD_ON_CALL_STARTED`), for the kinds in {@link callStartedFilter}. */
  recordOnCallStarted: boolean;
  /** `CALL_STARTED_FILTER`: the kinds of call recorded on CallStarted (default every kind). */
  callStartedFilter: CallKind[];
  recordingDefaults: RecordingDefaults;
  callbackAuth: CallbackAuthConfig;
  /** Host storage (`AzureWebJobsStorage`): the call/recording state table lives here. */
  hostStorage?: StorageConnection;
  stateTableName: string;
  /** Archive storage (`ARCHIVE_STORAGE`, falling back to host storage). */
  archiveStorage?: StorageConnection;
  archiveContainer: string;
  mediaAllowedOrigins: string[];
  /** `DELETE_SOURCE_AFTER_ARCHIVE`: delete ACS's copy of a chunk once both its files are verified in the archive. */
  deleteSource: boolean;
  archiveChunkConcurrency: number;
  archiveBlockSizeBytes: number;
  archiveTransferConcurrency: number;
  /** Durable task hub (host.json `hubName` is `%TASKHUB_NAME%`). */
  taskHubName?: string;
  /**
   * Hours after the event's time (or a re-drive) during which transient failures of a chunk are retried. ACS keeps
   * recording files for about 24 hours, so the range stops short of that.
   */
  archiveRetryHorizonHours: number;
  /** Validity of a download link (read-only SAS) of an archived blob, in minutes (`DOWNLOAD_LINK_MINUTES`). */
  downloadLinkMinutes: number;
  /** Serve the operator console at `GET /api/console` (`CONSOLE_ENABLED`, default true); off, it answers 404. */
  consoleEnabled: boolean;
}

/** Default of ARCHIVE_CHUNK_CONCURRENCY: chunks the orchestration archives at the same time. */
export const DEFAULT_ARCHIVE_CHUNK_CONCURRENCY = 4;
const MIB = 1024 * 1024;
/** Default of ARCHIVE_RETRY_HORIZON_HOURS: 20 of the ~24 hours ACS keeps a recording's files. */
export const DEFAULT_ARCHIVE_RETRY_HORIZON_HOURS = 20;
export const DEFAULT_ACS_API_VERSION = '2026-03-12';
export const DEFAULT_ACS_OPENID_CONFIG_URL =
  'https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration';
export const DEFAULT_MEDIA_ALLOWED_ORIGINS =
  'https://*.asm.skype.com,https://*.asyncgw.teams.microsoft.com,https://*.ams.gov.teams.microsoft.us';

/**
 * One or more settings are bad. An HTTP function answers it as 500 `{"error":{"code":"ConfigError","message"}}`: the
 * message names settings and (masked) values, never a secret.
 */
export class ConfigError extends HttpError {
  override readonly name = 'ConfigError';
  /** One line per bad setting. */
  readonly issues: string[];
  constructor(issues: string | string[]) {
    const list = typeof issues === 'string' ? [issues] : issues;
    super(500, 'ConfigError', list.length === 1 ? list[0]! : `Invalid settings: ${list.join('; ')}`);
    this.issues = list;
  }
}

// A SAS in a connection string runs to the next `;`; keys and URL signatures end at `;` or `&`.
const SECRET_PARTS = /\b(sharedaccesssignature)=[^;]*|\b(accesskey|accountkey|sharedaccesskey|sig|signature)=[^;&]*/gi;

/**
 * A setting's value as it may appear in a message: secrets (CALLBACK_TOKEN, keys and signatures inside connection
 * strings or URLs) become `***`.
 */
export function maskSettingValue(name: string, value: string): string {
  if (name === 'CALLBACK_TOKEN') return '***';
  return value.replace(SECRET_PARTS, (_m, sas: string | undefined, key: string | undefined) => `${sas ?? key}=***`);
}

/** Task hub names of the Durable Azure Storage provider: a letter, then letters and digits, 3 to 45 in all. */
const TASK_HUB_NAME = /^[A-Za-z][A-Za-z0-9]{2,44}$/;

const bool = (name: string, fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const s = v.trim().toLowerCase();
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${v}"` });
      return z.NEVER;
    });

const int = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const choice = <T extends string>(name: string, values: readonly [T, ...T[]]) =>
  z
    .string()
    .optional()
    .transform((v, ctx): T | undefined => {
      if (v === undefined || v.trim() === '') return undefined;
      if ((values as readonly string[]).includes(v.trim())) return v.trim() as T;
      const list = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0];
      ctx.addIssue({ code: 'custom', message: `${name} must be ${list}, got "${v}"` });
      return z.NEVER;
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
  ACS_CONNECTION_STRING: optionalString,
  ACS_ENDPOINT: optionalString,
  ACS_API_VERSION: optionalString,
  ACS_REQUEST_TIMEOUT_MS: int('ACS_REQUEST_TIMEOUT_MS', DEFAULT_ACS_TIMEOUT_MS, 100, 600_000),
  ACS_MAX_RETRIES: int('ACS_MAX_RETRIES', DEFAULT_MAX_RETRIES, 0, 10),
  AZURE_CLIENT_ID: optionalString,
  PUBLIC_BASE_URL: optionalString,
  RECORDING_AUTO_START: bool('RECORDING_AUTO_START', true),
  RECORDING_CONTENT: choice('RECORDING_CONTENT', RECORDING_CONTENTS),
  RECORDING_CHANNEL: choice('RECORDING_CHANNEL', RECORDING_CHANNELS),
  RECORDING_FORMAT: choice('RECORDING_FORMAT', RECORDING_FORMATS),
  RECORDING_PAUSE_ON_START: bool('RECORDING_PAUSE_ON_START', false),
  RECORD_ON_CALL_STARTED: bool('RECORD_ON_CALL_STARTED', false),
  CALL_STARTED_FILTER: optionalString,
  ACS_RESOURCE_ID: optionalString,
  ACS_OPENID_CONFIG_URL: optionalString,
  CALLBACK_TOKEN: optionalString,
  CALLBACK_AUTH: optionalString,
  STATE_TABLE_NAME: optionalString,
  ARCHIVE_CONTAINER: optionalString,
  ACS_MEDIA_ALLOWED_ORIGINS: optionalString,
  DELETE_SOURCE_AFTER_ARCHIVE: bool('DELETE_SOURCE_AFTER_ARCHIVE', true),
  ARCHIVE_CHUNK_CONCURRENCY: int('ARCHIVE_CHUNK_CONCURRENCY', DEFAULT_ARCHIVE_CHUNK_CONCURRENCY, 1, 64),
  // The transfer engine's own defaults (src/archive/transfer), so the two cannot drift.
  ARCHIVE_BLOCK_SIZE_MIB: int('ARCHIVE_BLOCK_SIZE_MIB', DEFAULT_BLOCK_SIZE_BYTES / MIB, 1, 4000),
  ARCHIVE_TRANSFER_CONCURRENCY: int('ARCHIVE_TRANSFER_CONCURRENCY', DEFAULT_TRANSFER_CONCURRENCY, 1, 32),
  TASKHUB_NAME: optionalString,
  ARCHIVE_RETRY_HORIZON_HOURS: int('ARCHIVE_RETRY_HORIZON_HOURS', DEFAULT_ARCHIVE_RETRY_HORIZON_HOURS, 1, 23),
  DOWNLOAD_LINK_MINUTES: int('DOWNLOAD_LINK_MINUTES', 15, 1, 60),
  CONSOLE_ENABLED: bool('CONSOLE_ENABLED', true),
});

/** ACS accepts only these content/channel/format combinations. */
export function validateRecordingCombination(d: Pick<RecordingDefaults, 'content' | 'channel' | 'format'>): string | undefined {
  if (d.content === 'audioVideo') {
    if (d.channel !== 'mixed' || d.format !== 'mp4') return 'audioVideo recordings must be mixed mp4';
    return undefined;
  }
  if (d.format === 'mp4') return 'mp4 is only for audioVideo recordings';
  if (d.channel === 'unmixed' && d.format !== 'wav') return 'unmixed audio recordings must be wav';
  return undefined;
}

/** Reads `<prefix>` as a connection string, or `<prefix>__blobServiceUri` etc. as identity-based settings. */
export function readStorageConnection(env: Record<string, string | undefined>, prefix: string): StorageConnection | undefined {
  const cs = env[prefix]?.trim();
  if (cs) return { kind: 'connectionString', connectionString: cs };
  const get = (k: string) => env[`${prefix}__${k}`]?.trim() || undefined;
  const identity = {
    blobServiceUri: get('blobServiceUri'),
    queueServiceUri: get('queueServiceUri'),
    tableServiceUri: get('tableServiceUri'),
    accountName: get('accountName'),
    clientId: get('clientId'),
  };
  if (!identity.blobServiceUri && !identity.queueServiceUri && !identity.tableServiceUri && !identity.accountName) return undefined;
  return { kind: 'identity', ...identity };
}

function parseConnectionString(cs: string, issues: string[]): { endpoint: string; accessKey: string } | undefined {
  // Same greedy, case-insensitive shape as @azure/communication-common's parser.
  const match = /endpoint=(.*);accesskey=(.*)/i.exec(cs);
  if (!match?.[1] || !match[2]) {
    issues.push(`ACS_CONNECTION_STRING must look like endpoint=https://...;accesskey=<base64>, got "${maskSettingValue('ACS_CONNECTION_STRING', cs)}"`);
    return undefined;
  }
  return { endpoint: match[1], accessKey: match[2] };
}

function checkUrl(name: string, value: string, issues: string[]): string | undefined {
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    return value;
  } catch {
    issues.push(`${name} must be an absolute http(s) URL, got "${maskSettingValue(name, value)}"`);
    return undefined;
  }
}

/** `CALL_STARTED_FILTER`: a comma list of {@link CALL_KINDS} (any case, each at most once); empty or unset means all. */
function parseCallStartedFilter(value: string | undefined, issues: string[]): CallKind[] {
  if (value === undefined) return [...CALL_KINDS];
  const kinds: CallKind[] = [];
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const kind = CALL_KINDS.find((k) => k.toLowerCase() === item.toLowerCase());
    if (!kind) issues.push(`CALL_STARTED_FILTER entries must be ${CALL_KINDS.join(', ')}, got "${item}"`);
    else if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (kinds.length === 0 && issues.every((i) => !i.startsWith('CALL_STARTED_FILTER'))) {
    issues.push(`CALL_STARTED_FILTER must list at least one of ${CALL_KINDS.join(', ')}, got "${value}"`);
  }
  return kinds;
}

/** Parses and validates every setting; throws one ConfigError listing every bad one. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const issues: string[] = [];
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => i.message));
  // The string settings below are checked from the raw values, so their problems are reported with the others.
  const raw = (name: string) => env[name]?.trim() || undefined;
  const e = parsed.success ? parsed.data : undefined;

  let acs: AcsAuthConfig | undefined;
  const acsConnectionString = raw('ACS_CONNECTION_STRING');
  const acsEndpoint = raw('ACS_ENDPOINT');
  if (acsConnectionString) {
    const cs = parseConnectionString(acsConnectionString, issues);
    const endpoint = cs && checkUrl('ACS_CONNECTION_STRING endpoint', cs.endpoint, issues);
    if (cs && endpoint) acs = { kind: 'connectionString', endpoint, accessKey: cs.accessKey };
  } else if (acsEndpoint) {
    const endpoint = checkUrl('ACS_ENDPOINT', acsEndpoint, issues);
    if (endpoint) acs = { kind: 'managedIdentity', endpoint, clientId: raw('AZURE_CLIENT_ID') };
  }

  let recordingDefaults: RecordingDefaults | undefined;
  if (e) {
    recordingDefaults = {
      content: e.RECORDING_CONTENT ?? 'audio',
      channel: e.RECORDING_CHANNEL ?? 'mixed',
      format: e.RECORDING_FORMAT ?? (e.RECORDING_CONTENT === 'audioVideo' ? 'mp4' : 'wav'),
      pauseOnStart: e.RECORDING_PAUSE_ON_START,
    };
    const combo = validateRecordingCombination(recordingDefaults);
    if (combo) {
      issues.push(
        `Invalid recording settings RECORDING_CONTENT=${recordingDefaults.content} RECORDING_CHANNEL=${recordingDefaults.channel} ` +
          `RECORDING_FORMAT=${recordingDefaults.format}: ${combo}`,
      );
    }
  }

  const callbackAuth = raw('CALLBACK_AUTH');
  const callbackAuthMode = callbackAuth?.toLowerCase();
  if (callbackAuthMode !== undefined && callbackAuthMode !== 'none') {
    issues.push(`CALLBACK_AUTH may only be "none" (local use), got "${callbackAuth}"`);
  }

  const mediaAllowedOrigins = (raw('ACS_MEDIA_ALLOWED_ORIGINS') ?? DEFAULT_MEDIA_ALLOWED_ORIGINS)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of mediaAllowedOrigins) {
    if (!parseAllowedOrigin(origin)) {
      issues.push(`ACS_MEDIA_ALLOWED_ORIGINS entries must be scheme://host[:port] (host may start with *.), got "${origin}"`);
    }
  }

  const publicBaseUrl = raw('PUBLIC_BASE_URL');
  const openIdConfigUrl = raw('ACS_OPENID_CONFIG_URL');
  const checkedPublicBaseUrl = publicBaseUrl ? checkUrl('PUBLIC_BASE_URL', publicBaseUrl, issues) : undefined;
  const checkedOpenIdConfigUrl = openIdConfigUrl ? checkUrl('ACS_OPENID_CONFIG_URL', openIdConfigUrl, issues) : undefined;

  const taskHubName = raw('TASKHUB_NAME');
  if (taskHubName && !TASK_HUB_NAME.test(taskHubName)) {
    issues.push(`TASKHUB_NAME must be a letter followed by letters and digits, 3 to 45 characters, got "${taskHubName}"`);
  }

  const callStartedFilter = parseCallStartedFilter(raw('CALL_STARTED_FILTER'), issues);

  if (issues.length || !e || !recordingDefaults) throw new ConfigError(issues);

  const hostStorage = readStorageConnection(env, 'AzureWebJobsStorage');
  return {
    acs,
    acsApiVersion: e.ACS_API_VERSION ?? DEFAULT_ACS_API_VERSION,
    acsRequestTimeoutMs: e.ACS_REQUEST_TIMEOUT_MS,
    acsMaxRetries: e.ACS_MAX_RETRIES,
    publicBaseUrl: checkedPublicBaseUrl,
    recordingAutoStart: e.RECORDING_AUTO_START,
    recordOnCallStarted: e.RECORD_ON_CALL_STARTED,
    callStartedFilter,
    recordingDefaults,
    callbackAuth: {
      acsResourceId: e.ACS_RESOURCE_ID,
      openIdConfigUrl: checkedOpenIdConfigUrl ?? DEFAULT_ACS_OPENID_CONFIG_URL,
      callbackToken: e.CALLBACK_TOKEN,
      allowUnauthenticated: callbackAuthMode === 'none',
    },
    hostStorage,
    stateTableName: e.STATE_TABLE_NAME ?? 'recordingstate',
    archiveStorage: readStorageConnection(env, 'ARCHIVE_STORAGE') ?? hostStorage,
    archiveContainer: e.ARCHIVE_CONTAINER ?? 'recordings',
    mediaAllowedOrigins,
    deleteSource: e.DELETE_SOURCE_AFTER_ARCHIVE,
    archiveChunkConcurrency: e.ARCHIVE_CHUNK_CONCURRENCY,
    archiveBlockSizeBytes: e.ARCHIVE_BLOCK_SIZE_MIB * MIB,
    archiveTransferConcurrency: e.ARCHIVE_TRANSFER_CONCURRENCY,
    taskHubName,
    archiveRetryHorizonHours: e.ARCHIVE_RETRY_HORIZON_HOURS,
    downloadLinkMinutes: e.DOWNLOAD_LINK_MINUTES,
    consoleEnabled: e.CONSOLE_ENABLED,
  };
}

/**
 * What the app needs to run at all, on top of valid values: ACS (a connection string or an endpoint, https unless it
 * is the loopback emulator), host storage, and the task hub name host.json refers to. Throws one ConfigError listing
 * every problem; the appStart and preInvocation hooks check this.
 */
export function checkAppSettings(config: AppConfig = getConfig()): AppConfig {
  const issues: string[] = [];
  if (!config.acs) issues.push('ACS is not configured: set ACS_CONNECTION_STRING (endpoint=https://…;accesskey=…) or ACS_ENDPOINT (managed identity)');
  else if (!config.acs.endpoint.startsWith('https:') && !isLoopbackHttpUrl(config.acs.endpoint)) {
    const name = config.acs.kind === 'connectionString' ? 'ACS_CONNECTION_STRING endpoint' : 'ACS_ENDPOINT';
    issues.push(`${name} must be https (plain http only for 127.0.0.1/localhost), got "${config.acs.endpoint}"`);
  }
  if (!config.hostStorage) issues.push('AzureWebJobsStorage is not set (a connection string, or AzureWebJobsStorage__accountName / __*ServiceUri)');
  if (!config.taskHubName) issues.push('TASKHUB_NAME is not set: host.json names the Durable task hub %TASKHUB_NAME%');
  if (issues.length) throw new ConfigError(issues);
  return config;
}

let loaded: AppConfig | undefined;

/** The process-wide configuration, loaded on first use. */
export function getConfig(): AppConfig {
  return (loaded ??= loadConfig());
}

/** Forget the cached configuration, and with it everything built {@link perConfig} (tests change process.env). */
export function resetConfig(): void {
  loaded = undefined;
}

/**
 * A process-wide value built from the configuration on first use (clients, the state store, services) and rebuilt
 * after {@link resetConfig}, so the one reset re-reads every setting. A build that throws (a setting missing) is not
 * cached: the next use tries again.
 *
 * @example export const stateStore = perConfig((config) => new TableCallStateStore(stateTableClient(config)));
 */
export function perConfig<T>(build: (config: AppConfig) => T): { get(): T } {
  let built: { config: AppConfig; value: T } | undefined;
  return {
    get() {
      const config = getConfig();
      if (built?.config !== config) built = { config, value: build(config) };
      return built.value;
    },
  };
}

/** Where the app's own OpenTelemetry goes (src/shared/startTelemetry.ts); read apart from {@link loadConfig}. */
export interface TelemetryConfig {
  /** `APPLICATIONINSIGHTS_CONNECTION_STRING`. */
  connectionString: string;
  /** Send with a Microsoft Entra token (`APPLICATIONINSIGHTS_AUTHENTICATION_STRING` = `Authorization=AAD[;ClientId=…]`). */
  entra: boolean;
  /** The user-assigned identity to get the token with; absent for the system-assigned one. */
  clientId?: string;
}

/**
 * The telemetry settings, or undefined when `APPLICATIONINSIGHTS_CONNECTION_STRING` is not set (then nothing is
 * started and nothing is sent) or `OTEL_SDK_DISABLED=true`. These are the settings the Functions host reads too, so
 * they are validated here on their own, before the rest of the configuration is needed.
 */
export function readTelemetryConfig(env: Record<string, string | undefined> = process.env): TelemetryConfig | undefined {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (!/(^|;)\s*(InstrumentationKey|IngestionEndpoint)=/i.test(connectionString)) {
    throw new ConfigError('APPLICATIONINSIGHTS_CONNECTION_STRING must be an Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)');
  }
  const auth = env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING?.trim();
  if (!auth) return { connectionString, entra: false };
  const parts = new Map(
    auth
      .split(';')
      .filter((p) => p.trim())
      .map((p) => {
        const i = p.indexOf('=');
        return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()] as const;
      }),
  );
  if (parts.get('authorization')?.toUpperCase() !== 'AAD') {
    throw new ConfigError('APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be "Authorization=AAD" with an optional ";ClientId=<client id>"');
  }
  const clientId = parts.get('clientid');
  return { connectionString, entra: true, ...(clientId ? { clientId } : {}) };
}
