// Every setting the app reads, parsed and validated once into typed values. A bad value stops start-up with a
// message naming the setting; the rest of the code never reads process.env directly.
import { z } from 'zod';
import { DEFAULT_ACS_TIMEOUT_MS } from './acs/AcsClientOptions.js';
import { DEFAULT_MAX_RETRIES } from './acs/decideRetry.js';
import { parseAllowedOrigin } from './acs/mediaUrlAllowList.js';
import { lazy } from './shared/lazy.js';

export type RecordingContent = 'audio' | 'audioVideo';
export type RecordingChannel = 'mixed' | 'unmixed';
export type RecordingFormat = 'wav' | 'mp3' | 'mp4';

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
  recordingDefaults: RecordingDefaults;
  callbackAuth: CallbackAuthConfig;
  /** Host storage (`AzureWebJobsStorage`): the call/recording state table lives here. */
  hostStorage?: StorageConnection;
  stateTableName: string;
  /** Archive storage (`ARCHIVE_STORAGE`, falling back to host storage). */
  archiveStorage?: StorageConnection;
  archiveContainer: string;
  mediaAllowedOrigins: string[];
  deleteSourceAfterArchive: boolean;
  archiveChunkConcurrency: number;
  archiveBlockSizeBytes: number;
  archiveTransferConcurrency: number;
}

export const DEFAULT_ACS_API_VERSION = '2026-03-12';
export const DEFAULT_ACS_OPENID_CONFIG_URL =
  'https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration';
export const DEFAULT_MEDIA_ALLOWED_ORIGINS =
  'https://*.asm.skype.com,https://*.asyncgw.teams.microsoft.com,https://*.ams.gov.teams.microsoft.us';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

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
  RECORDING_CONTENT: z.enum(['audio', 'audioVideo'], { message: 'RECORDING_CONTENT must be audio or audioVideo' }).optional(),
  RECORDING_CHANNEL: z.enum(['mixed', 'unmixed'], { message: 'RECORDING_CHANNEL must be mixed or unmixed' }).optional(),
  RECORDING_FORMAT: z.enum(['wav', 'mp3', 'mp4'], { message: 'RECORDING_FORMAT must be wav, mp3 or mp4' }).optional(),
  RECORDING_PAUSE_ON_START: bool('RECORDING_PAUSE_ON_START', false),
  ACS_RESOURCE_ID: optionalString,
  ACS_OPENID_CONFIG_URL: optionalString,
  CALLBACK_TOKEN: optionalString,
  CALLBACK_AUTH: optionalString,
  STATE_TABLE_NAME: optionalString,
  ARCHIVE_CONTAINER: optionalString,
  ACS_MEDIA_ALLOWED_ORIGINS: optionalString,
  DELETE_SOURCE_AFTER_ARCHIVE: bool('DELETE_SOURCE_AFTER_ARCHIVE', true),
  ARCHIVE_CHUNK_CONCURRENCY: int('ARCHIVE_CHUNK_CONCURRENCY', 4, 1, 64),
  ARCHIVE_BLOCK_SIZE_MIB: int('ARCHIVE_BLOCK_SIZE_MIB', 8, 1, 4000),
  ARCHIVE_TRANSFER_CONCURRENCY: int('ARCHIVE_TRANSFER_CONCURRENCY', 1, 1, 32),
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

function parseConnectionString(cs: string): { endpoint: string; accessKey: string } {
  // Same greedy, case-insensitive shape as @azure/communication-common's parser.
  const match = /endpoint=(.*);accesskey=(.*)/i.exec(cs);
  if (!match?.[1] || !match[2]) throw new ConfigError('ACS_CONNECTION_STRING must look like endpoint=https://...;accesskey=<base64>');
  return { endpoint: match[1], accessKey: match[2] };
}

function checkUrl(name: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    return value;
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid settings: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const e = parsed.data;

  let acs: AcsAuthConfig | undefined;
  if (e.ACS_CONNECTION_STRING) {
    const { endpoint, accessKey } = parseConnectionString(e.ACS_CONNECTION_STRING);
    acs = { kind: 'connectionString', endpoint: checkUrl('ACS_CONNECTION_STRING endpoint', endpoint), accessKey };
  } else if (e.ACS_ENDPOINT) {
    acs = { kind: 'managedIdentity', endpoint: checkUrl('ACS_ENDPOINT', e.ACS_ENDPOINT), clientId: e.AZURE_CLIENT_ID };
  }

  const recordingDefaults: RecordingDefaults = {
    content: e.RECORDING_CONTENT ?? 'audio',
    channel: e.RECORDING_CHANNEL ?? 'mixed',
    format: e.RECORDING_FORMAT ?? (e.RECORDING_CONTENT === 'audioVideo' ? 'mp4' : 'wav'),
    pauseOnStart: e.RECORDING_PAUSE_ON_START,
  };
  const combo = validateRecordingCombination(recordingDefaults);
  if (combo) {
    throw new ConfigError(
      `Invalid recording settings RECORDING_CONTENT=${recordingDefaults.content} RECORDING_CHANNEL=${recordingDefaults.channel} ` +
        `RECORDING_FORMAT=${recordingDefaults.format}: ${combo}`,
    );
  }

  const callbackAuthMode = e.CALLBACK_AUTH?.toLowerCase();
  if (callbackAuthMode !== undefined && callbackAuthMode !== 'none') {
    throw new ConfigError(`CALLBACK_AUTH may only be "none" (local use), got "${e.CALLBACK_AUTH}"`);
  }

  const mediaAllowedOrigins = (e.ACS_MEDIA_ALLOWED_ORIGINS ?? DEFAULT_MEDIA_ALLOWED_ORIGINS)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of mediaAllowedOrigins) {
    if (!parseAllowedOrigin(origin)) {
      throw new ConfigError(`ACS_MEDIA_ALLOWED_ORIGINS entries must be scheme://host[:port] (host may start with *.), got "${origin}"`);
    }
  }

  const hostStorage = readStorageConnection(env, 'AzureWebJobsStorage');
  return {
    acs,
    acsApiVersion: e.ACS_API_VERSION ?? DEFAULT_ACS_API_VERSION,
    acsRequestTimeoutMs: e.ACS_REQUEST_TIMEOUT_MS,
    acsMaxRetries: e.ACS_MAX_RETRIES,
    publicBaseUrl: e.PUBLIC_BASE_URL ? checkUrl('PUBLIC_BASE_URL', e.PUBLIC_BASE_URL) : undefined,
    recordingAutoStart: e.RECORDING_AUTO_START,
    recordingDefaults,
    callbackAuth: {
      acsResourceId: e.ACS_RESOURCE_ID,
      openIdConfigUrl: e.ACS_OPENID_CONFIG_URL ? checkUrl('ACS_OPENID_CONFIG_URL', e.ACS_OPENID_CONFIG_URL) : DEFAULT_ACS_OPENID_CONFIG_URL,
      callbackToken: e.CALLBACK_TOKEN,
      allowUnauthenticated: callbackAuthMode === 'none',
    },
    hostStorage,
    stateTableName: e.STATE_TABLE_NAME ?? 'recordingstate',
    archiveStorage: readStorageConnection(env, 'ARCHIVE_STORAGE') ?? hostStorage,
    archiveContainer: e.ARCHIVE_CONTAINER ?? 'recordings',
    mediaAllowedOrigins,
    deleteSourceAfterArchive: e.DELETE_SOURCE_AFTER_ARCHIVE,
    archiveChunkConcurrency: e.ARCHIVE_CHUNK_CONCURRENCY,
    archiveBlockSizeBytes: e.ARCHIVE_BLOCK_SIZE_MIB * 1024 * 1024,
    archiveTransferConcurrency: e.ARCHIVE_TRANSFER_CONCURRENCY,
  };
}

const config = lazy(() => loadConfig());

/** The process-wide configuration, loaded on first use. */
export function getConfig(): AppConfig {
  return config.get();
}

/** Forget the cached configuration (tests change process.env between cases). */
export function resetConfig(): void {
  config.reset();
}
