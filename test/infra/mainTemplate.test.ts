// The compiled ARM template (infra/main.bicep via the real Bicep CLI) has the security properties that matter, wires
// every setting the code reads, and produces settings the app's own config loader accepts in managed-identity mode.
// The template is compiled here (tools/infra/build.sh), not read from a previous run, so the test cannot skip.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACS_API_VERSION, DEFAULT_ACS_OPENID_CONFIG_URL, DEFAULT_MEDIA_ALLOWED_ORIGINS, loadConfig } from '../../src/config.js';
import { LOG_MESSAGES, METRICS } from '../../src/shared/telemetryNames.js';
import { FAKE_SUBSCRIPTION_ID, type ArmObject, type ArmValue } from './armExpression.js';
import {
  COMPILE_TIMEOUT_MS,
  REPO_ROOT,
  TemplateScope,
  allResources,
  compileInfra,
  moduleNamed,
  resourcesOfType,
  type ArmResource,
  type ArmTemplate,
  type CompiledInfra,
  type ReferenceStubs,
} from './armTemplate.js';

// Runtime values ARM would only know during a deployment (reference() of resources and module outputs).
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const APP_PRINCIPAL_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
const TOPIC_PRINCIPAL_ID = 'aaaaaaaa-0000-0000-0000-000000000002';
const ACS_IMMUTABLE_ID = '6f0d8a52-7c7e-4b5e-9a43-6c1f3f0b9e21';
const ACS_ENDPOINT = 'https://acs-test.unitedstates.communication.azure.com';
const APP_HOST = 'func-test.azurewebsites.net';
const HOST_BLOB = 'https://sthost.blob.core.windows.net/';
const ARCHIVE_BLOB = 'https://starchive.blob.core.windows.net/';
const SECRET_URI = 'https://kvtest.vault.azure.net/secrets/callback-token';

const MAIN_REFERENCES: ReferenceStubs = {
  identity: {
    outputs: { clientId: { value: CLIENT_ID }, principalId: { value: APP_PRINCIPAL_ID }, id: { value: 'identity-id' }, name: { value: 'id-test' } },
  },
  acs: {
    outputs: {
      endpoint: { value: ACS_ENDPOINT },
      immutableResourceId: { value: ACS_IMMUTABLE_ID },
      systemTopicPrincipalId: { value: TOPIC_PRINCIPAL_ID },
      systemTopicName: { value: 'egst-test' },
      name: { value: 'acs-test' },
      id: { value: 'acs-id' },
    },
  },
  keyVault: { outputs: { callbackTokenReferenceUri: { value: SECRET_URI } } },
  api: {
    outputs: {
      id: { value: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-test' },
      name: { value: 'func-test' },
      defaultHostName: { value: APP_HOST },
    },
  },
  hostStorage: {
    outputs: {
      id: { value: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sthost' },
      name: { value: 'sthost' },
      deadLetterContainerName: { value: 'eventgrid-deadletter' },
    },
  },
  archiveStorage: { outputs: { name: { value: 'starchive' }, containerName: { value: 'recordings' } } },
  monitoring: { outputs: { applicationInsightsName: { value: 'appi-test' } } },
  workbook: { outputs: { portalUrl: { value: 'https://portal.azure.com/#resource/wb/workbook' }, id: { value: '/wb' } } },
  alerts: { outputs: { actionGroupId: { value: '/subscriptions/s/resourceGroups/rg-test/providers/Microsoft.Insights/actionGroups/ag-test' } } },
};

const MODULE_REFERENCES: Record<string, ReferenceStubs> = {
  api: {
    hostStorage: {
      primaryEndpoints: { blob: HOST_BLOB, queue: 'https://sthost.queue.core.windows.net/', table: 'https://sthost.table.core.windows.net/' },
    },
    archiveStorage: { primaryEndpoints: { blob: ARCHIVE_BLOB } },
    applicationInsights: { ConnectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x/' },
    app: { defaultHostName: APP_HOST },
  },
};

const REQUIRED_OVERRIDES: ArmObject = { environmentName: 'test', location: 'westeurope' };

const ROLE = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
};
// The only data actions the custom archive role may carry: reading and writing blob index tags, nothing else.
const BLOB_TAG_DATA_ACTIONS = [
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read',
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write',
];
const BROAD_ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
};

let infra: CompiledInfra;

beforeAll(async () => {
  infra = await compileInfra();
}, COMPILE_TIMEOUT_MS);

function mainScope(overrides: ArmObject = {}): TemplateScope {
  return TemplateScope.forMain(infra.main, { ...REQUIRED_OVERRIDES, ...overrides }, MAIN_REFERENCES);
}

function moduleScope(symbol: string, overrides: ArmObject = {}): TemplateScope {
  return mainScope(overrides).module(symbol, MODULE_REFERENCES[symbol] ?? {});
}

function resourceIn(template: ArmTemplate, symbol: string): ArmResource {
  const found = allResources(template).find((r) => r.modulePath.length === 0 && r.symbol === symbol);
  if (!found) throw new Error(`no resource ${symbol}`);
  return found.resource;
}

/** The app settings a deployment with these main.bicep parameters would write, with stubbed runtime values. */
function deployedAppSettings(overrides: ArmObject = {}): Record<string, string> {
  const api = moduleNamed(infra.main, 'api');
  const settings = moduleScope('api', overrides).evaluate(resourceIn(api.template, 'appSettings').properties ?? {}) as ArmObject;
  for (const [name, value] of Object.entries(settings)) {
    expect(typeof value, `app setting ${name} must be a string`).toBe('string');
  }
  return settings as Record<string, string>;
}

/** Setting names the code reads: src/config.ts (envSchema, readStorageConnection) and host.json (%NAME%). */
/** The settings of the app's own schema (`envSchema` in src/config.ts). */
async function schemaSettings(): Promise<{ config: string; names: Set<string> }> {
  const config = await readFile(path.join(REPO_ROOT, 'src/config.ts'), 'utf8');
  const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(config)?.[1];
  expect(schema, 'envSchema block in src/config.ts').toBeDefined();
  return { config, names: new Set([...(schema ?? '').matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] as string)) };
}

async function settingsTheCodeReads(): Promise<Set<string>> {
  const { config, names } = await schemaSettings();
  const prefixes = [...config.matchAll(/readStorageConnection\([^,]+,\s*'([^']+)'\)/g)].map((m) => m[1] as string);
  expect(prefixes.sort()).toEqual(['ARCHIVE_STORAGE', 'AzureWebJobsStorage']);
  for (const prefix of prefixes) {
    // Identity-based: which endpoint plus which identity (user-assigned, so credential + clientId).
    for (const suffix of ['blobServiceUri', 'credential', 'clientId']) names.add(`${prefix}__${suffix}`);
  }
  // Durable Functions' Azure Storage provider also needs the queue and table endpoints of host storage.
  names.add('AzureWebJobsStorage__queueServiceUri');
  names.add('AzureWebJobsStorage__tableServiceUri');
  const hostJson = await readFile(path.join(REPO_ROOT, 'host.json'), 'utf8');
  for (const m of hostJson.matchAll(/%([A-Za-z0-9_]+)%/g)) names.add(m[1] as string);
  // Read by the Functions host / Application Insights and by the app's ManagedIdentityCredential.
  for (const name of ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'AZURE_CLIENT_ID']) {
    names.add(name);
  }
  return names;
}

// Settings that must never be deployed: each one would weaken authentication or is not allowed on Flex Consumption.
const FORBIDDEN_SETTINGS = {
  ACS_CONNECTION_STRING: 'ACS is called with managed identity (ACS_ENDPOINT); no access key in settings',
  CALLBACK_AUTH: 'only for local runs: it switches callback authentication off',
  AzureWebJobsStorage: 'a connection string (shared key); identity-based __ settings are used instead',
  ARCHIVE_STORAGE: 'a connection string (shared key); identity-based __ settings are used instead',
  FUNCTIONS_WORKER_RUNTIME: 'Flex Consumption sets the runtime in functionAppConfig and rejects this setting',
};

describe('infra/main.bicep compiled by the Bicep CLI', () => {
  it('produces both deployable templates with the expected modules', () => {
    const modules = allResources(infra.main)
      .filter((r) => r.modulePath.length === 0 && r.resource.type === 'Microsoft.Resources/deployments')
      .map((r) => r.symbol)
      .sort();
    expect(modules).toEqual(
      ['acs', 'acsCreate', 'alerts', 'api', 'archiveStorage', 'callStartedSubscription', 'eventSubscription', 'hostStorage', 'identity', 'keyVault', 'monitoring', 'rbac', 'workbook'].sort(),
    );
    expect(resourcesOfType(infra.eventSubscription, 'Microsoft.EventGrid/systemTopics/eventSubscriptions')).toHaveLength(1);
  });

  describe('storage', () => {
    it('refuses shared keys and anonymous access and requires TLS 1.2 on every account', () => {
      const accounts = resourcesOfType(infra.main, 'Microsoft.Storage/storageAccounts');
      expect(accounts.map((a) => a.modulePath.join('/')).sort()).toEqual(['archiveStorage', 'hostStorage']);
      for (const { resource, modulePath } of accounts) {
        expect(resource.properties, modulePath.join('/')).toMatchObject({
          allowSharedKeyAccess: false,
          allowBlobPublicAccess: false,
          minimumTlsVersion: 'TLS1_2',
          supportsHttpsTrafficOnly: true,
          defaultToOAuthAuthentication: true,
          allowCrossTenantReplication: false,
        });
      }
    });

    it('keeps every container private', () => {
      const containers = resourcesOfType(infra.main, 'Microsoft.Storage/storageAccounts/blobServices/containers');
      expect(containers.map((c) => c.symbol).sort()).toEqual(['archiveContainer', 'deadLetterContainer', 'deploymentContainer']);
      for (const c of containers) {
        const props = moduleScope(c.modulePath[0] as string).evaluate(c.resource.properties as ArmValue) as ArmObject;
        expect(props.publicAccess, c.symbol).toBe('None');
      }
    });

    it('versions and soft-deletes archived recordings, tiers them to Cool and deletes them only when asked', () => {
      const archive = moduleNamed(infra.main, 'archiveStorage').template;
      const blobService = moduleScope('archiveStorage').evaluate(resourceIn(archive, 'blobService').properties as ArmValue);
      expect(blobService).toMatchObject({
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: 14 },
        containerDeleteRetentionPolicy: { enabled: true, days: 14 },
      });

      const rule = (overrides: ArmObject) => {
        const policy = moduleScope('archiveStorage', overrides).evaluate(resourceIn(archive, 'lifecycle').properties as ArmValue) as {
          policy: { rules: { definition: { filters: ArmObject; actions: { baseBlob: ArmObject; version: ArmObject } } }[] };
        };
        expect(policy.policy.rules).toHaveLength(1);
        return policy.policy.rules[0]?.definition;
      };
      const byDefault = rule({});
      expect(byDefault?.filters).toEqual({ blobTypes: ['blockBlob'], prefixMatch: ['recordings/'] });
      expect(byDefault?.actions.baseBlob).toEqual({ tierToCool: { daysAfterModificationGreaterThan: 30 } });
      expect(byDefault?.actions.version).toEqual({ delete: { daysAfterCreationGreaterThan: 14 } });

      const withDelete = rule({ archiveCoolAfterDays: 7, archiveDeleteAfterDays: 2555, archiveContainerName: 'calls' });
      expect(withDelete?.filters.prefixMatch).toEqual(['calls/']);
      expect(withDelete?.actions.baseBlob).toEqual({
        tierToCool: { daysAfterModificationGreaterThan: 7 },
        delete: { daysAfterModificationGreaterThan: 2555 },
      });
    });

    it('turns on time-based retention (version-level WORM) only when a retention period is given', () => {
      const archive = moduleNamed(infra.main, 'archiveStorage').template;
      const retention = resourceIn(archive, 'retention');
      const container = resourceIn(archive, 'archiveContainer');

      const off = moduleScope('archiveStorage');
      expect(off.evaluate(retention.condition as ArmValue)).toBe(false);
      expect(off.evaluate(container.properties as ArmValue)).toEqual({ publicAccess: 'None' });

      const on = moduleScope('archiveStorage', { archiveImmutabilityDays: 2555 });
      expect(on.evaluate(retention.condition as ArmValue)).toBe(true);
      expect(on.evaluate(retention.properties as ArmValue)).toEqual({
        immutabilityPeriodSinceCreationInDays: 2555,
        allowProtectedAppendWrites: false,
      });
      expect(on.evaluate(container.properties as ArmValue)).toEqual({
        publicAccess: 'None',
        immutableStorageWithVersioning: { enabled: true },
      });
    });
  });

  describe('Function App', () => {
    it('runs on Flex Consumption, Node 22, as the user-assigned identity, HTTPS only, without basic-auth publishing', () => {
      const api = moduleNamed(infra.main, 'api').template;
      const scope = moduleScope('api');
      expect(resourceIn(api, 'plan')).toMatchObject({ kind: 'functionapp', sku: { tier: 'FlexConsumption', name: 'FC1' }, properties: { reserved: true } });

      const site = resourceIn(api, 'app');
      expect(site.kind).toBe('functionapp,linux');
      const identityResourceId = scope.parameter('identityResourceId');
      expect(identityResourceId).toMatch(/\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/id-[a-z0-9]{13}$/);
      expect(scope.evaluate(site.identity as ArmValue)).toEqual({ type: 'UserAssigned', userAssignedIdentities: { [identityResourceId as string]: {} } });

      const props = scope.evaluate(site.properties as ArmValue) as ArmObject;
      expect(props).toMatchObject({
        httpsOnly: true,
        keyVaultReferenceIdentity: identityResourceId,
        siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' },
        functionAppConfig: {
          runtime: { name: 'node', version: '22' },
          scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 },
          deployment: {
            storage: {
              type: 'blobContainer',
              authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityResourceId },
            },
          },
        },
      });
      const deployment = (props.functionAppConfig as { deployment: { storage: { value: string } } }).deployment.storage.value;
      expect(deployment).toMatch(new RegExp(`^${HOST_BLOB}app-package-[a-z0-9]{7}$`));
      // Settings live in the sites/config resource; none inline that would be replaced by it.
      expect((props.siteConfig as ArmObject).appSettings).toBeUndefined();

      const policies = resourcesOfType(infra.main, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
      const appName = scope.parameter('appName') as string;
      expect(policies.map((p) => scope.evaluate(p.resource.name as string)).sort()).toEqual([`${appName}/ftp`, `${appName}/scm`]);
      for (const p of policies) expect(p.resource.properties).toEqual({ allow: false });
    });

    it('takes instance memory and maximum instances from parameters, within what Flex Consumption allows', () => {
      const params = infra.main.parameters ?? {};
      expect(params.functionInstanceMemoryMB).toMatchObject({ type: 'int', allowedValues: [512, 2048, 4096], defaultValue: 2048 });
      expect(params.functionMaximumInstances).toMatchObject({ type: 'int', minValue: 40, maxValue: 1000, defaultValue: 100 });
      const props = moduleScope('api', { functionInstanceMemoryMB: 4096, functionMaximumInstances: 40 }).evaluate(
        resourceIn(moduleNamed(infra.main, 'api').template, 'app').properties as ArmValue,
      ) as { functionAppConfig: { scaleAndConcurrency: ArmObject } };
      expect(props.functionAppConfig.scaleAndConcurrency).toEqual({ maximumInstanceCount: 40, instanceMemoryMB: 4096 });
    });

    it('deploys every app setting the code reads, and none that weakens authentication', async () => {
      const deployed = Object.keys(deployedAppSettings());
      const needed = await settingsTheCodeReads();
      const missing = [...needed].filter((n) => !deployed.includes(n) && !(n in FORBIDDEN_SETTINGS));
      expect(missing, 'settings the code reads but the template does not set').toEqual([]);
      for (const [name, why] of Object.entries(FORBIDDEN_SETTINGS)) expect(deployed, `${name}: ${why}`).not.toContain(name);

      // Every local setting is either deployed or deliberately left out.
      const sample = JSON.parse(await readFile(path.join(REPO_ROOT, 'local.settings.sample.json'), 'utf8')) as { Values: ArmObject };
      const unaccounted = Object.keys(sample.Values).filter((n) => !deployed.includes(n) && !(n in FORBIDDEN_SETTINGS));
      expect(unaccounted, 'local settings neither deployed nor listed as forbidden').toEqual([]);
    });

    it('lists every setting of the app in local.settings.sample.json, so a new one is found where users copy from', async () => {
      const sample = JSON.parse(await readFile(path.join(REPO_ROOT, 'local.settings.sample.json'), 'utf8')) as { Values: ArmObject };
      const { names } = await schemaSettings();
      expect([...names].filter((n) => !(n in sample.Values)), 'settings the app reads that the sample leaves out').toEqual([]);
    });

    it('produces settings the app loads in production mode: managed identity everywhere, ACS-signed callbacks', () => {
      const settings = deployedAppSettings();
      expect(settings).toMatchObject({
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: CLIENT_ID,
        ARCHIVE_STORAGE__credential: 'managedidentity',
        ARCHIVE_STORAGE__clientId: CLIENT_ID,
        AZURE_CLIENT_ID: CLIENT_ID,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${CLIENT_ID};Authorization=AAD`,
        ACS_RESOURCE_ID: ACS_IMMUTABLE_ID,
        PUBLIC_BASE_URL: `https://${APP_HOST}`,
        CALLBACK_TOKEN: '',
      });
      expect(settings.TASKHUB_NAME).toMatch(/^[A-Za-z0-9]{3,45}$/);

      const config = loadConfig(settings);
      expect(config.acs).toEqual({ kind: 'managedIdentity', endpoint: ACS_ENDPOINT, clientId: CLIENT_ID });
      expect(config.hostStorage).toEqual({
        kind: 'identity',
        blobServiceUri: HOST_BLOB,
        queueServiceUri: 'https://sthost.queue.core.windows.net/',
        tableServiceUri: 'https://sthost.table.core.windows.net/',
        accountName: undefined,
        clientId: CLIENT_ID,
      });
      expect(config.archiveStorage).toMatchObject({ kind: 'identity', blobServiceUri: ARCHIVE_BLOB, clientId: CLIENT_ID });
      expect(config.archiveContainer).toBe('recordings');
      expect(config.downloadLinkMinutes).toBe(15);
      expect(settings.CONSOLE_ENABLED).toBe('true');
      expect(config.consoleEnabled).toBe(true);
      expect(config.callbackAuth).toEqual({
        acsResourceId: ACS_IMMUTABLE_ID,
        openIdConfigUrl: DEFAULT_ACS_OPENID_CONFIG_URL,
        callbackToken: undefined,
        allowUnauthenticated: false,
      });
      expect(config.publicBaseUrl).toBe(`https://${APP_HOST}`);
      expect(config.acsApiVersion).toBe(DEFAULT_ACS_API_VERSION);
      expect(config.mediaAllowedOrigins).toEqual(DEFAULT_MEDIA_ALLOWED_ORIGINS.split(','));
      expect(config.recordingAutoStart).toBe(true);
      expect(config.recordingDefaults).toEqual({ content: 'audio', channel: 'mixed', format: 'wav', pauseOnStart: false });
      expect(config.deleteSource).toBe(true);
      expect(settings).toMatchObject({ RECORD_ON_CALL_STARTED: 'false', CALL_STARTED_FILTER: '' });
      expect(config.recordOnCallStarted).toBe(false);
      expect(config.callStartedFilter).toEqual(['groupCalls', 'roomsCalls', 'twoPartyCalls']);
    });

    it('turns the console off with consoleEnabled=false, in the form the app parses', () => {
      const settings = deployedAppSettings({ consoleEnabled: false });
      expect(settings.CONSOLE_ENABLED).toBe('false');
      expect(loadConfig(settings).consoleEnabled).toBe(false);
    });

    it('passes recording and archive parameters through in the form the app parses', () => {
      const settings = deployedAppSettings({
        recordingContent: 'audioVideo',
        recordingAutoStart: false,
        recordingPauseOnStart: true,
        deleteSourceAfterArchive: false,
        archiveChunkConcurrency: 8,
        archiveBlockSizeMiB: 16,
        archiveTransferConcurrency: 2,
        archiveRetryHorizonHours: 12,
        acsMaxRetries: 6,
        archiveContainerName: 'calls',
      });
      const config = loadConfig(settings);
      // Format left empty: resolved to what the app itself would pick for audioVideo.
      expect(config.recordingDefaults).toEqual({ content: 'audioVideo', channel: 'mixed', format: 'mp4', pauseOnStart: true });
      expect(config.recordingAutoStart).toBe(false);
      expect(config.deleteSource).toBe(false);
      expect(config.archiveChunkConcurrency).toBe(8);
      expect(config.archiveBlockSizeBytes).toBe(16 * 1024 * 1024);
      expect(config.archiveTransferConcurrency).toBe(2);
      expect(config.archiveRetryHorizonHours).toBe(12);
      expect(config.acsMaxRetries).toBe(6);
      expect(config.archiveContainer).toBe('calls');
      expect(loadConfig(deployedAppSettings({ recordingFormat: 'mp3' })).recordingDefaults.format).toBe('mp3');
      const callStarted = loadConfig(deployedAppSettings({ recordOnCallStarted: true, callStartedFilter: 'roomsCalls,twoPartyCalls' }));
      expect(callStarted.recordOnCallStarted).toBe(true);
      expect(callStarted.callStartedFilter).toEqual(['roomsCalls', 'twoPartyCalls']);
    });
  });

  describe('callback token', () => {
    it('is left out, with no Key Vault, by default', () => {
      const keyVault = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'keyVault')?.resource;
      expect(mainScope().evaluate(keyVault?.condition as ArmValue)).toBe(false);
      expect(deployedAppSettings().CALLBACK_TOKEN).toBe('');
    });

    it('lives in an RBAC-mode Key Vault and reaches the app only as a Key Vault reference', () => {
      const secret = 'not-a-real-token-0123456789';
      const keyVault = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'keyVault')?.resource;
      expect(mainScope({ callbackToken: secret }).evaluate(keyVault?.condition as ArmValue)).toBe(true);
      const settings = deployedAppSettings({ callbackToken: secret });
      expect(settings.CALLBACK_TOKEN).toBe(`@Microsoft.KeyVault(SecretUri=${SECRET_URI})`);
      expect(Object.values(settings)).not.toContain(secret);

      // Secure all the way down, and never an output.
      expect(infra.main.parameters?.callbackToken?.type).toBe('securestring');
      const kv = moduleNamed(infra.main, 'keyVault').template;
      expect(kv.parameters?.callbackToken?.type).toBe('securestring');
      expect(JSON.stringify(infra.main.outputs)).not.toContain('callbackToken');
      expect(JSON.stringify(kv.outputs)).not.toMatch(/parameters\('callbackToken'\)|secretUriWithVersion|listSecrets/);

      const vault = resourceIn(kv, 'vault');
      expect(vault.properties).toMatchObject({ enableRbacAuthorization: true, enableSoftDelete: true });
    });
  });

  describe('role assignments', () => {
    interface Assignment {
      module: string;
      role: string;
      scope: string;
      principalId: string;
    }

    function assignments(overrides: ArmObject = {}): Assignment[] {
      return resourcesOfType(infra.main, 'Microsoft.Authorization/roleAssignments').map(({ modulePath, resource }) => {
        const module = modulePath.join('/');
        const scope = moduleScope(module, overrides);
        const props = scope.evaluate(resource.properties as ArmValue) as ArmObject;
        expect(props.principalType, module).toBe('ServicePrincipal');
        const roleDefinitionId = props.roleDefinitionId as string;
        expect(roleDefinitionId).toMatch(/\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/);
        return {
          module,
          role: roleDefinitionId.split('/').pop() as string,
          // The scope is a full resource id; what matters here is which resource, below /providers/.
          scope: (scope.evaluate(resource.scope as string) as string).replace(/^.*?\/providers\//, ''),
          principalId: props.principalId as string,
        };
      });
    }

    /** The custom archive-tags role as main.bicep defines it, and the id role assignments must use for it. */
    function archiveTagsRole(overrides: ArmObject = {}): { resource: ArmResource; guid: string; id: string } {
      const definitions = resourcesOfType(infra.main, 'Microsoft.Authorization/roleDefinitions');
      expect(definitions.map((d) => `${d.modulePath.join('/')}:${d.symbol}`)).toEqual([':archiveTagsRole']);
      const resource = (definitions[0] as { resource: ArmResource }).resource;
      const guid = mainScope(overrides).evaluate(resource.name as string) as string;
      expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      return { resource, guid, id: `/subscriptions/${FAKE_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}` };
    }

    it('gives the app identity exactly the data roles it needs, each on its own resource', () => {
      const main = mainScope();
      const names = (symbol: string, param: string) => main.module(symbol, {}).parameter(param) as string;
      const host = `Microsoft.Storage/storageAccounts/${names('rbac', 'hostStorageName')}`;
      const archive = `Microsoft.Storage/storageAccounts/${names('rbac', 'archiveStorageName')}`;
      const archiveContainer = `${archive}/blobServices/default/containers/${names('rbac', 'archiveContainerName')}`;
      const appi = `Microsoft.Insights/components/${names('rbac', 'applicationInsightsName')}`;
      const acs = `Microsoft.Communication/communicationServices/${names('acs', 'acsName')}`;

      const app = assignments()
        .filter((a) => a.principalId === APP_PRINCIPAL_ID)
        .map(({ module, role, scope }) => ({ module, role, scope }));
      expect(app).toEqual(
        expect.arrayContaining([
          { module: 'rbac', role: ROLE.storageBlobDataOwner, scope: host },
          { module: 'rbac', role: ROLE.storageQueueDataContributor, scope: host },
          { module: 'rbac', role: ROLE.storageTableDataContributor, scope: host },
          { module: 'rbac', role: ROLE.storageBlobDataContributor, scope: archive },
          { module: 'rbac', role: archiveTagsRole().guid, scope: archiveContainer },
          { module: 'rbac', role: ROLE.monitoringMetricsPublisher, scope: appi },
          { module: 'acs', role: ROLE.communicationAndEmailServiceOwner, scope: acs },
          { module: 'keyVault', role: ROLE.keyVaultSecretsUser, scope: `Microsoft.KeyVault/vaults/${names('keyVault', 'name')}` },
        ]),
      );
      expect(app).toHaveLength(8);
      // Blob Data Owner only on host storage: the archive gets Contributor, plus the tag-only custom role.
      expect(app.filter((a) => a.role === ROLE.storageBlobDataOwner).map((a) => a.scope)).toEqual([host]);
    });

    it('lets the app set blob index tags on archived blobs through a custom role with only the tag data actions', () => {
      const { resource, guid } = archiveTagsRole();
      // Defined by main.bicep itself (subscription scope), where a custom role can be created, not inside a module.
      expect(resource.type).toBe('Microsoft.Authorization/roleDefinitions');
      expect(resource.scope).toBeUndefined();
      const props = mainScope().evaluate(resource.properties as ArmValue) as ArmObject;
      const archiveName = mainScope().module('rbac', {}).parameter('archiveStorageName') as string;
      expect(props).toEqual({
        roleName: `Recording archive blob index tags (${archiveName})`,
        description: expect.any(String) as string,
        type: 'CustomRole',
        // Exactly the two tag data actions: no control-plane action, no blob read/write/delete, no wildcard.
        permissions: [{ actions: [], notActions: [], dataActions: BLOB_TAG_DATA_ACTIONS, notDataActions: [] }],
        assignableScopes: [`/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/rg-test`],
      });
      expect(mainScope({ resourceGroupName: 'rg-shared' }).evaluate(resource.properties as ArmValue)).toMatchObject({
        assignableScopes: [`/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/rg-shared`],
      });

      // Stable across re-provisions of one environment, distinct per environment (names and roleNames are tenant-wide).
      expect(archiveTagsRole().guid).toBe(guid);
      expect(archiveTagsRole({ environmentName: 'other' }).guid).not.toBe(guid);
      expect(resource.name).toMatch(/^\[guid\(/);

      // Held by the app identity alone, once, on the archive container only; following a renamed container.
      const holders = (overrides: ArmObject) =>
        assignments(overrides)
          .filter((a) => a.role === guid)
          .map(({ module, scope, principalId }) => ({ module, scope, principalId }));
      const archiveContainer = (container: string) =>
        `Microsoft.Storage/storageAccounts/${archiveName}/blobServices/default/containers/${container}`;
      expect(holders({})).toEqual([{ module: 'rbac', scope: archiveContainer('recordings'), principalId: APP_PRINCIPAL_ID }]);
      expect(holders({ archiveContainerName: 'calls' })).toEqual([
        { module: 'rbac', scope: archiveContainer('calls'), principalId: APP_PRINCIPAL_ID },
      ]);

      // The assignment references the definition by its subscription-scope id, and waits for it.
      const rbac = mainScope().module('rbac', {});
      expect(rbac.parameter('archiveTagsRoleDefinitionId')).toBe(archiveTagsRole().id);
      const rbacModule = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'rbac')?.resource;
      expect(rbacModule?.dependsOn).toContain('archiveTagsRole');
    });

    it('lets the Event Grid topic write only into the dead-letter container', () => {
      const topic = assignments().filter((a) => a.principalId === TOPIC_PRINCIPAL_ID);
      const host = mainScope().module('rbac', {}).parameter('hostStorageName') as string;
      expect(topic).toEqual([
        {
          module: 'rbac',
          role: ROLE.storageBlobDataContributor,
          scope: `Microsoft.Storage/storageAccounts/${host}/blobServices/default/containers/eventgrid-deadletter`,
          principalId: TOPIC_PRINCIPAL_ID,
        },
      ]);
    });

    it('assigns no broad role anywhere, and names every assignment stably', () => {
      const all = assignments();
      for (const broad of Object.values(BROAD_ROLES)) expect(all.map((a) => a.role)).not.toContain(broad);
      // Every role assigned is a built-in one listed above or the tag-only custom role: nothing else slips in.
      const allowed = new Set([...Object.values(ROLE), archiveTagsRole().guid]);
      for (const a of all) expect(allowed.has(a.role), `${a.module}: role ${a.role} on ${a.scope}`).toBe(true);
      // No custom role grants control-plane actions or wildcards.
      for (const { resource } of resourcesOfType(infra.main, 'Microsoft.Authorization/roleDefinitions')) {
        const permissions = (resource.properties as { permissions: { actions: string[]; dataActions: string[] }[] }).permissions;
        for (const p of permissions) {
          expect(p.actions).toEqual([]);
          for (const action of p.dataActions) expect(action).not.toContain('*');
        }
      }
      const names = resourcesOfType(infra.main, 'Microsoft.Authorization/roleAssignments').map((r) => r.resource.name);
      for (const name of names) expect(name).toMatch(/^\[guid\(/);
      expect(new Set(names.map((n, i) => `${all[i]?.module}:${n}`)).size).toBe(names.length);
    });
  });

  describe('monitoring', () => {
    it('uses workspace-based Application Insights with local authentication disabled', () => {
      const monitoring = moduleNamed(infra.main, 'monitoring').template;
      expect(resourceIn(monitoring, 'applicationInsights').properties).toMatchObject({ Application_Type: 'web', DisableLocalAuth: true });
      expect(resourceIn(monitoring, 'applicationInsights').properties?.WorkspaceResourceId).toMatch(/logAnalytics/);
      expect(resourceIn(monitoring, 'logAnalytics').properties).toMatchObject({ sku: { name: 'PerGB2018' } });
    });
  });

  describe('Azure Communication Services and Event Grid', () => {
    it('creates ACS with a managed identity and a system topic on it, in the app resource group by default', () => {
      const acsCreate = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'acsCreate')?.resource;
      expect(mainScope().evaluate(acsCreate?.condition as ArmValue)).toBe(true);
      const created = resourceIn(moduleNamed(infra.main, 'acsCreate').template, 'acs');
      expect(created).toMatchObject({ location: 'global', identity: { type: 'SystemAssigned' } });

      const topic = resourceIn(moduleNamed(infra.main, 'acs').template, 'systemTopic');
      const scope = moduleScope('acs');
      expect(scope.evaluate(topic as unknown as ArmValue)).toMatchObject({
        location: 'global',
        identity: { type: 'SystemAssigned' },
        properties: { topicType: 'Microsoft.Communication.CommunicationServices' },
      });
      expect((scope.evaluate(topic.properties as ArmValue) as ArmObject).source).toMatch(
        new RegExp(`/providers/Microsoft\\.Communication/communicationServices/${scope.parameter('acsName') as string}$`),
      );
      const acsModule = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'acs')?.resource;
      expect(mainScope().evaluate(acsModule?.resourceGroup as string)).toBe('rg-test');
    });

    it('adopts an existing ACS resource (and its system topic) in another resource group instead of creating one', () => {
      const overrides = { existingAcsName: 'acs-prod', existingAcsResourceGroupName: 'rg-comms', existingAcsSystemTopicName: 'acs-prod-events' };
      const main = mainScope(overrides);
      const top = (symbol: string) => allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === symbol)?.resource;
      expect(main.evaluate(top('acsCreate')?.condition as ArmValue)).toBe(false);
      expect(main.evaluate(top('acs')?.resourceGroup as string)).toBe('rg-comms');
      expect(main.evaluate(top('eventSubscription')?.resourceGroup as string)).toBe('rg-comms');
      const acs = main.module('acs', {});
      expect(acs.parameter('acsName')).toBe('acs-prod');
      expect(acs.parameter('systemTopicName')).toBe('acs-prod-events');
    });

    it('subscribes recordingFileStatusUpdated to RecordingFileStatusUpdated with retries and identity-based dead-lettering', async () => {
      const registered = /app\.eventGrid\('([^']+)'/.exec(
        await readFile(path.join(REPO_ROOT, 'src/functions/recordingFileStatusUpdated.ts'), 'utf8'),
      )?.[1];
      expect(registered).toBe('recordingFileStatusUpdated');

      const appId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-test';
      const deadLetterAccount = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sthost';
      const evaluateSubscription = (params: ArmObject) => {
        const scope = new TemplateScope(infra.eventSubscription, (name) => params[name], {});
        const [sub] = resourcesOfType(infra.eventSubscription, 'Microsoft.EventGrid/systemTopics/eventSubscriptions');
        return scope.evaluate(sub?.resource.properties as ArmValue) as ArmObject;
      };
      const common = {
        systemTopicName: 'egst-test',
        functionAppResourceId: appId,
        functionAppHostName: APP_HOST,
        deadLetterStorageAccountId: deadLetterAccount,
        deadLetterContainerName: 'eventgrid-deadletter',
      };

      const props = evaluateSubscription(common);
      expect(props).toEqual({
        destination: {
          endpointType: 'AzureFunction',
          properties: { resourceId: `${appId}/functions/${registered}`, maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 },
        },
        filter: { includedEventTypes: ['Microsoft.Communication.RecordingFileStatusUpdated'] },
        eventDeliverySchema: 'EventGridSchema',
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
        deadLetterWithResourceIdentity: {
          identity: { type: 'SystemAssigned' },
          deadLetterDestination: {
            endpointType: 'StorageBlob',
            properties: { resourceId: deadLetterAccount, blobContainerName: 'eventgrid-deadletter' },
          },
        },
      });

      const webhook = evaluateSubscription({ ...common, endpointType: 'WebHook', eventGridSystemKey: 'k3y' });
      expect(webhook.destination).toEqual({
        endpointType: 'WebHook',
        properties: {
          endpointUrl: `https://${APP_HOST}/runtime/webhooks/eventgrid?functionName=${registered}&code=k3y`,
          maxEventsPerBatch: 1,
          preferredBatchSizeInKilobytes: 64,
        },
      });
      expect(infra.eventSubscription.parameters?.eventGridSystemKey?.type).toBe('securestring');
    });

    it('with recordOnCallStarted, also subscribes callStartedEvents to CallStarted and CallEnded, with the same policy', async () => {
      const source = await readFile(path.join(REPO_ROOT, 'src/functions/callStartedEvents.ts'), 'utf8');
      expect(source).toMatch(/app\.eventGrid\(CALL_STARTED_EVENTS_FUNCTION,/);
      const CALL_STARTED_EVENTS_FUNCTION = /CALL_STARTED_EVENTS_FUNCTION = '([^']+)'/.exec(source)?.[1];
      expect(CALL_STARTED_EVENTS_FUNCTION).toBe('callStartedEvents');

      const module = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'callStartedSubscription')?.resource;
      expect(mainScope().evaluate(module?.condition as ArmValue)).toBe(false);
      expect(mainScope({ recordOnCallStarted: true }).evaluate(module?.condition as ArmValue)).toBe(false);
      expect(mainScope({ deployEventSubscription: true }).evaluate(module?.condition as ArmValue)).toBe(false);
      expect(mainScope({ deployEventSubscription: true, recordOnCallStarted: true }).evaluate(module?.condition as ArmValue)).toBe(true);

      const overrides = { deployEventSubscription: true, recordOnCallStarted: true, eventMaxDeliveryAttempts: 12, eventTimeToLiveInMinutes: 90 };
      const calls = mainScope(overrides).module('callStartedSubscription', {});
      const recordings = mainScope(overrides).module('eventSubscription', {});
      expect(calls.parameter('name')).toBe('call-started-events');
      expect(calls.parameter('functionName')).toBe(CALL_STARTED_EVENTS_FUNCTION);
      expect(calls.parameter('includedEventTypes')).toEqual(['Microsoft.Communication.CallStarted', 'Microsoft.Communication.CallEnded']);
      for (const name of ['systemTopicName', 'endpointType', 'functionAppResourceId', 'deadLetterStorageAccountId', 'deadLetterContainerName', 'maxDeliveryAttempts', 'eventTimeToLiveInMinutes']) {
        expect(calls.parameter(name), name).toEqual(recordings.parameter(name));
      }
      expect(calls.parameter('maxDeliveryAttempts')).toBe(12);
      expect(moduleNamed(infra.main, 'callStartedSubscription').template).toEqual(
        expect.objectContaining({ resources: infra.eventSubscription.resources }),
      );

      // What that subscription looks like once deployed: only the two call events, to callStartedEvents.
      const params: ArmObject = {
        systemTopicName: 'egst-test',
        name: 'call-started-events',
        functionAppResourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-test',
        functionAppHostName: APP_HOST,
        functionName: 'callStartedEvents',
        includedEventTypes: ['Microsoft.Communication.CallStarted', 'Microsoft.Communication.CallEnded'],
        deadLetterStorageAccountId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sthost',
        deadLetterContainerName: 'eventgrid-deadletter',
      };
      const scope = new TemplateScope(infra.eventSubscription, (name) => params[name], {});
      const [sub] = resourcesOfType(infra.eventSubscription, 'Microsoft.EventGrid/systemTopics/eventSubscriptions');
      expect(scope.evaluate(sub?.resource.name as ArmValue)).toMatch(/call-started-events$/);
      expect(scope.evaluate(sub?.resource.properties as ArmValue)).toMatchObject({
        destination: { endpointType: 'AzureFunction', properties: { resourceId: `${params.functionAppResourceId as string}/functions/callStartedEvents` } },
        filter: { includedEventTypes: ['Microsoft.Communication.CallStarted', 'Microsoft.Communication.CallEnded'] },
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
        deadLetterWithResourceIdentity: { identity: { type: 'SystemAssigned' } },
      });
    });

    it('keeps the subscription out of the first provision and under main.bicep once asked to', () => {
      const module = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'eventSubscription')?.resource;
      expect(mainScope().evaluate(module?.condition as ArmValue)).toBe(false);
      expect(mainScope({ deployEventSubscription: true }).evaluate(module?.condition as ArmValue)).toBe(true);

      // main.bicep's module is the same file the postdeploy hook deploys, with main's names.
      const sub = mainScope({ deployEventSubscription: true, eventMaxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 120 }).module('eventSubscription', {});
      expect(sub.parameter('endpointType')).toBe('AzureFunction');
      expect(sub.parameter('functionName')).toBe('recordingFileStatusUpdated');
      expect(sub.parameter('systemTopicName')).toBe(mainScope().module('acs', {}).parameter('systemTopicName'));
      expect(sub.parameter('deadLetterContainerName')).toBe('eventgrid-deadletter');
      expect(sub.parameter('maxDeliveryAttempts')).toBe(10);
      expect(sub.parameter('eventTimeToLiveInMinutes')).toBe(120);
      expect(moduleNamed(infra.main, 'eventSubscription').template).toEqual(
        expect.objectContaining({ resources: infra.eventSubscription.resources }),
      );
    });
  });

  describe('outputs and parameters', () => {
    it('tells the user the app URL, the callback URL for ACS, and where recordings are archived', () => {
      const outputs = mainScope().evaluate(
        Object.fromEntries<ArmValue>(Object.entries(infra.main.outputs ?? {}).map(([k, o]) => [k, o.value])),
      ) as Record<string, ArmValue>;
      expect(outputs).toMatchObject({
        FUNCTION_APP_URL: `https://${APP_HOST}`,
        CALLBACK_URL: `https://${APP_HOST}/api/callbacks/call-automation`,
        RECORDINGS_API_URL: `https://${APP_HOST}/api/recordings`,
        ARCHIVE_STORAGE_ACCOUNT_NAME: 'starchive',
        ARCHIVE_CONTAINER_NAME: 'recordings',
        ACS_ENDPOINT: ACS_ENDPOINT,
        ACS_IMMUTABLE_RESOURCE_ID: ACS_IMMUTABLE_ID,
        AZURE_RESOURCE_GROUP: 'rg-test',
        EVENT_GRID_DEAD_LETTER_CONTAINER: 'eventgrid-deadletter',
      });
      // Everything the postdeploy hook reads is an output (azd puts outputs into the hook's environment).
      const hook = ['AZURE_FUNCTION_APP_NAME', 'AZURE_FUNCTION_APP_RESOURCE_ID', 'AZURE_FUNCTION_APP_HOST_NAME', 'ACS_RESOURCE_GROUP',
        'ACS_SYSTEM_TOPIC_NAME', 'EVENT_GRID_DEAD_LETTER_STORAGE_ID', 'EVENT_GRID_MAX_DELIVERY_ATTEMPTS', 'EVENT_GRID_EVENT_TTL_MINUTES', 'RECORD_ON_CALL_STARTED'];
      for (const name of hook) expect(Object.keys(outputs)).toContain(name);
    });

    it('has a main.parameters.json whose every entry is a parameter, covering every required one', async () => {
      const file = JSON.parse(await readFile(path.join(REPO_ROOT, 'infra/main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: string }> };
      const declared = infra.main.parameters ?? {};
      for (const name of Object.keys(file.parameters)) expect(Object.keys(declared), name).toContain(name);
      const required = Object.entries(declared).filter(([, p]) => p.defaultValue === undefined).map(([n]) => n);
      expect(required.sort()).toEqual(['environmentName', 'location']);
      expect(file.parameters.environmentName?.value).toBe('${AZURE_ENV_NAME}');
      expect(file.parameters.location?.value).toBe('${AZURE_LOCATION}');
      expect(file.parameters.deployEventSubscription?.value).toBe('${DEPLOY_EVENT_SUBSCRIPTION=false}');
      expect(file.parameters.recordOnCallStarted?.value).toBe('${RECORD_ON_CALL_STARTED=false}');
      expect(file.parameters.callStartedFilter?.value).toBe('${CALL_STARTED_FILTER=}');
    });

    it('never asks ARM for keys: no list*() calls and no key-based connection strings anywhere', () => {
      for (const template of [infra.main, infra.eventSubscription]) {
        const text = JSON.stringify(template);
        expect(text).not.toMatch(/\blist[A-Za-z]*\(/);
        expect(text).not.toMatch(/AccountKey=|accesskey=|SharedAccessSignature/i);
      }
    });
  });

  describe('alerts (app/alerts.bicep)', () => {
    // The module runs in the app's resource group, so resourceId() there has no group (the evaluator's rg-current).
    const appInsightsId = (): string =>
      `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/rg-current/providers/Microsoft.Insights/components/${moduleScope('alerts').parameter('applicationInsightsName') as string}`;

    /** Every alert resource the module deploys (loops expanded), by rule name without the prefix. */
    function alertRules(overrides: ArmObject = {}): Map<string, { type: string; properties: ArmObject; location: string }> {
      const scope = moduleScope('alerts', overrides);
      const prefix = scope.parameter('namePrefix') as string;
      const rules = new Map<string, { type: string; properties: ArmObject; location: string }>();
      for (const { resource } of allResources(moduleNamed(infra.main, 'alerts').template)) {
        if (!/metricAlerts|scheduledQueryRules/.test(resource.type) || resource.existing) continue;
        for (const r of scope.instances(resource)) {
          const name = r.name as string;
          expect(name.startsWith(`${prefix}-`), name).toBe(true);
          rules.set(name.slice(prefix.length + 1), { type: resource.type, properties: r.properties as ArmObject, location: r.location as string });
        }
      }
      return rules;
    }

    function actionGroup(overrides: ArmObject = {}) {
      const scope = moduleScope('alerts', overrides);
      const resource = resourceIn(moduleNamed(infra.main, 'alerts').template, 'actionGroup');
      const [instance] = scope.instances(resource);
      const name = instance?.name as string;
      return {
        id: scope.evaluate(`[resourceId('Microsoft.Insights/actionGroups', '${name}')]`) as string,
        location: instance?.location,
        properties: instance?.properties as ArmObject,
      };
    }

    it('deploys the module into the app resource group, watching the app\'s Application Insights and the ACS system topic', () => {
      const alerts = allResources(infra.main).find((r) => r.modulePath.length === 0 && r.symbol === 'alerts')?.resource;
      expect(mainScope().evaluate(alerts?.resourceGroup as string)).toBe('rg-test');
      const scope = moduleScope('alerts');
      expect(scope.parameter('applicationInsightsName')).toBe(moduleScope('api').parameter('applicationInsightsName'));
      const acs = mainScope().module('acs', {});
      expect(scope.parameter('systemTopicResourceId')).toBe(
        `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/rg-test/providers/Microsoft.EventGrid/systemTopics/${acs.parameter('systemTopicName') as string}`,
      );
      // An existing ACS in another resource group: the topic is watched there.
      expect(moduleScope('alerts', { existingAcsName: 'acs-prod', existingAcsResourceGroupName: 'rg-comms', existingAcsSystemTopicName: 'acs-prod-events' }).parameter('systemTopicResourceId')).toBe(
        `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/rg-comms/providers/Microsoft.EventGrid/systemTopics/acs-prod-events`,
      );
      expect(scope.parameter('archiveLagHours')).toBe(4);
      expect(infra.main.parameters?.alertEmails?.defaultValue).toBe('');
    });

    it('has an action group with one e-mail receiver per ALERT_EMAILS entry, and none when it is empty', () => {
      const none = actionGroup();
      expect(none).toMatchObject({ location: 'global', properties: { enabled: true, emailReceivers: [] } });
      expect((none.properties.groupShortName as string).length).toBeLessThanOrEqual(12);
      expect(actionGroup({ alertEmails: ' ops@example.com,, oncall@example.org ,' }).properties).toMatchObject({
        emailReceivers: [
          { name: 'email-0', emailAddress: 'ops@example.com', useCommonAlertSchema: true },
          { name: 'email-1', emailAddress: 'oncall@example.org', useCommonAlertSchema: true },
        ],
      });
    });

    it('has every rule of the runbook, each with a severity, a description, its scope and the action group', () => {
      const rules = alertRules();
      expect([...rules.keys()].sort()).toEqual(
        ['acs-throttling', 'archive-failed', 'archive-lag', 'dead-lettered', 'delivery-failures', 'dropped', 'function-failures'].sort(),
      );
      const groupId = actionGroup().id;
      const topic = moduleScope('alerts').parameter('systemTopicResourceId');
      for (const [key, { type, properties: p }] of rules) {
        expect(p.enabled, key).toBe(true);
        expect(p.severity, key).toEqual(expect.any(Number));
        expect(p.severity as number, key).toBeLessThanOrEqual(2);
        expect((p.description as string).length, key).toBeGreaterThan(30);
        if (type === 'Microsoft.Insights/metricAlerts') {
          expect(p.actions, key).toEqual([{ actionGroupId: groupId }]);
        } else {
          expect(p.actions, key).toEqual({ actionGroups: [groupId] });
        }
        expect(p.scopes, key).toEqual([key === 'dead-lettered' || key === 'dropped' || key === 'delivery-failures' ? topic : appInsightsId()]);
      }
      // The README runbook has a line for each.
      return readFile(path.join(REPO_ROOT, 'README.md'), 'utf8').then((readme) => {
        for (const key of rules.keys()) expect(readme, `README runbook line for ${key}`).toContain(`\`${key}\``);
      });
    });

    it('alerts on Event Grid dead letters, dropped events and sustained delivery failures of the system topic', () => {
      const rules = alertRules({ alertDeliveryFailureThreshold: 25 });
      const metric = (key: string) => {
        const p = rules.get(key)?.properties;
        expect(rules.get(key)?.type).toBe('Microsoft.Insights/metricAlerts');
        return { window: p?.windowSize, every: p?.evaluationFrequency, criteria: (p?.criteria as { allOf: ArmObject[] }).allOf };
      };
      const criterion = (metricName: string, threshold: number) => [
        { criterionType: 'StaticThresholdCriterion', name: metricName, metricNamespace: 'Microsoft.EventGrid/systemTopics', metricName, timeAggregation: 'Total', operator: 'GreaterThan', threshold },
      ];
      expect(metric('dead-lettered')).toEqual({ window: 'PT5M', every: 'PT5M', criteria: criterion('DeadLetteredCount', 0) });
      expect(metric('dropped')).toEqual({ window: 'PT5M', every: 'PT5M', criteria: criterion('DroppedEventCount', 0) });
      expect(metric('delivery-failures')).toEqual({ window: 'PT15M', every: 'PT5M', criteria: criterion('DeliveryAttemptFailCount', 25) });
      expect(rules.get('dead-lettered')?.properties.severity).toBe(1);
      expect(rules.get('dropped')?.properties.severity).toBe(0);
    });

    it('alerts on failed function executions above the threshold', () => {
      const p = alertRules({ alertFunctionFailureThreshold: 7 }).get('function-failures')?.properties;
      expect(p).toMatchObject({ windowSize: 'PT15M', evaluationFrequency: 'PT5M' });
      expect((p?.criteria as { allOf: ArmObject[] }).allOf).toEqual([
        { criterionType: 'StaticThresholdCriterion', name: 'requests-failed', metricNamespace: 'microsoft.insights/components', metricName: 'requests/failed', timeAggregation: 'Count', operator: 'GreaterThan', threshold: 7 },
      ]);
    });

    const logCriterion = (rules: ReturnType<typeof alertRules>, key: string) => {
      const rule = rules.get(key);
      expect(rule?.type).toBe('Microsoft.Insights/scheduledQueryRules');
      expect(rule?.location).toBe('westeurope');
      const p = rule?.properties ?? {};
      const [c] = (p.criteria as { allOf: (ArmObject & { query: string })[] }).allOf;
      return { windowSize: p.windowSize, evaluationFrequency: p.evaluationFrequency, description: p.description as string, criterion: c! };
    };

    it('alerts on any ArchiveFailed line in the last 15 minutes, with the recording ids', () => {
      const { windowSize, evaluationFrequency, criterion } = logCriterion(alertRules(), 'archive-failed');
      expect({ windowSize, evaluationFrequency }).toEqual({ windowSize: 'PT15M', evaluationFrequency: 'PT5M' });
      expect(criterion).toMatchObject({ timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0, failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 } });
      expect(criterion.query).toContain(`traces\n| where message startswith "${LOG_MESSAGES.archiveFailed} {"`);
      // The JSON fields start right after the message and its space.
      expect(criterion.query).toContain(`substring(message, ${LOG_MESSAGES.archiveFailed.length + 1})`);
      expect(criterion.query).toMatch(/recordingId = tostring\(fields\.recordingId\), serverCallId = tostring\(fields\.serverCallId\)/);
    });

    it('alerts when an archive started more than ALERT_ARCHIVE_LAG_HOURS ago has not finished', () => {
      const byDefault = logCriterion(alertRules(), 'archive-lag');
      expect(byDefault).toMatchObject({ windowSize: 'P1D', evaluationFrequency: 'PT15M' });
      expect(byDefault.criterion).toMatchObject({ timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0 });
      const q = byDefault.criterion.query;
      expect(q).toContain(`| where message startswith "${LOG_MESSAGES.archiveStarted} {"`);
      expect(q).toContain(`substring(message, ${LOG_MESSAGES.archiveStarted.length + 1})`);
      expect(q).toContain(`| where message startswith "${LOG_MESSAGES.archiveFinished} {"`);
      expect(q).toContain('| where startedAt < ago(4h)');
      expect(q).toContain('| join kind=leftanti finished on instanceId');
      expect(logCriterion(alertRules({ alertArchiveLagHours: 9 }), 'archive-lag').criterion.query).toContain('ago(9h)');
      expect(logCriterion(alertRules({ alertArchiveLagHours: 9 }), 'archive-lag').description).toContain('9 hours');
    });

    it('alerts on ACS throttling sustained over three 5-minute periods, from the app\'s retry metric', () => {
      const { windowSize, evaluationFrequency, criterion } = logCriterion(alertRules(), 'acs-throttling');
      expect({ windowSize, evaluationFrequency }).toEqual({ windowSize: 'PT5M', evaluationFrequency: 'PT5M' });
      expect(criterion).toMatchObject({
        timeAggregation: 'Total',
        metricMeasureColumn: 'valueSum',
        operator: 'GreaterThan',
        threshold: 0,
        failingPeriods: { numberOfEvaluationPeriods: 3, minFailingPeriodsToAlert: 3 },
      });
      expect(criterion.query).toBe(
        `customMetrics\n| where name == "${METRICS.retries.name}"\n| where tostring(customDimensions.layer) in ("acs-http", "source-resume") and tostring(customDimensions.reason) == "429"`,
      );
    });

    it('queries only names the app emits (src/shared/telemetryNames.json)', () => {
      const metricNames = new Set(Object.values(METRICS).map((m) => m.name));
      const messages = new Set(Object.values(LOG_MESSAGES));
      for (const [key, rule] of alertRules()) {
        if (rule.type !== 'Microsoft.Insights/scheduledQueryRules') continue;
        const { query } = logCriterion(alertRules(), key).criterion;
        for (const m of query.matchAll(/name == "([^"]+)"/g)) expect(metricNames, key).toContain(m[1]);
        for (const m of query.matchAll(/message startswith "([^"]+) \{"/g)) expect(messages, key).toContain(m[1]);
        expect(/customMetrics|traces/.test(query), key).toBe(true);
      }
    });
  });

  describe('dashboard (app/workbook.bicep)', () => {
    it('deploys infra/app/workbook.json as a shared workbook on the app\'s Application Insights, linked from the outputs', async () => {
      const scope = moduleScope('workbook');
      const [wb] = scope.instances(resourceIn(moduleNamed(infra.main, 'workbook').template, 'workbook'));
      const appInsights = scope.parameter('applicationInsightsName') as string;
      expect(appInsights).toBe(moduleScope('api').parameter('applicationInsightsName'));
      expect(wb).toMatchObject({ kind: 'shared', location: 'westeurope' });
      const props = wb?.properties as ArmObject;
      expect(props).toMatchObject({ category: 'workbook', version: 'Notebook/1.0', displayName: 'Recording archiver (test)' });
      expect(props.sourceId).toBe(`/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/rg-current/providers/Microsoft.Insights/components/${appInsights}`);
      const file = JSON.parse(await readFile(path.join(REPO_ROOT, 'infra/app/workbook.json'), 'utf8')) as unknown;
      expect(JSON.parse(props.serializedData as string)).toEqual(file);
      expect(wb?.name).toMatch(/^[0-9a-f-]{36}$/);
      // azd shows the link; the module's own output builds it from the portal of the cloud deployed to.
      expect(infra.main.outputs?.WORKBOOK_URL?.value).toBe("[reference('workbook').outputs.portalUrl.value]");
      const out = moduleNamed(infra.main, 'workbook').template.outputs?.portalUrl?.value;
      expect(scope.evaluate(out ?? null)).toBe(`https://portal.azure.com/#resource/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/rg-current/providers/Microsoft.Insights/workbooks/${wb?.name as string}/workbook`);
    });
  });
});
