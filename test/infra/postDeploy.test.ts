// scripts/post-deploy.sh, the azd postdeploy hook, run by `sh` as azd runs it, against stand-in `az` and `azd`
// executables on PATH that record their arguments (no Azure here). Checks the order of things (wait for the function,
// then deploy eventSubscription.bicep into the ACS resource group), the parameters it passes, the bounded retries, and
// that a webhook key never appears on a command line or survives the run.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './armTemplate.js';

const execFileAsync = promisify(execFile);
const SCRIPT = path.join(REPO_ROOT, 'scripts/post-deploy.sh');

// Answers like the real CLI for the few commands the hook uses, and records every call (one line each).
const FAKE_AZ = `#!/bin/sh
printf 'az %s\\n' "$*" >>"$FAKE_DIR/calls.log"
case "$1 $2" in
  "functionapp function")
    n=$(cat "$FAKE_DIR/show-count" 2>/dev/null || echo 0)
    n=$((n + 1))
    echo "$n" >"$FAKE_DIR/show-count"
    if [ "$n" -le "\${FAKE_FUNCTION_MISSING_TIMES:-0}" ]; then
      echo "ERROR: (NotFound) Error retrieving function." >&2
      exit 3
    fi
    echo recordingFileStatusUpdated
    ;;
  "functionapp keys") echo "\${FAKE_SYSTEM_KEY:-}" ;;
  "deployment group")
    for arg in "$@"; do
      case "$arg" in @*)
        d=$(cat "$FAKE_DIR/deploy-count" 2>/dev/null || echo 0); d=$((d + 1)); echo "$d" >"$FAKE_DIR/deploy-count"
        cp "\${arg#@}" "$FAKE_DIR/params-$d.json"; cp "\${arg#@}" "$FAKE_DIR/params.json"; echo "\${arg#@}" >"$FAKE_DIR/params-path" ;;
      esac
    done
    ;;
  *) echo "fake az: unexpected command $*" >&2; exit 2 ;;
esac
`;
const FAKE_AZD = `#!/bin/sh
printf 'azd %s\\n' "$*" >>"$FAKE_DIR/calls.log"
`;

const AZD_ENV = {
  AZURE_ENV_NAME: 'test',
  AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-00000000000a',
  AZURE_RESOURCE_GROUP: 'rg-test',
  AZURE_FUNCTION_APP_NAME: 'func-abc',
  AZURE_FUNCTION_APP_RESOURCE_ID: '/subscriptions/s/resourceGroups/rg-test/providers/Microsoft.Web/sites/func-abc',
  AZURE_FUNCTION_APP_HOST_NAME: 'func-abc.azurewebsites.net',
  ACS_RESOURCE_GROUP: 'rg-comms',
  ACS_SYSTEM_TOPIC_NAME: 'egst-abc',
  EVENT_GRID_DEAD_LETTER_STORAGE_ID: '/subscriptions/s/resourceGroups/rg-test/providers/Microsoft.Storage/storageAccounts/stabc',
  EVENT_GRID_DEAD_LETTER_CONTAINER: 'eventgrid-deadletter',
  EVENT_GRID_MAX_DELIVERY_ATTEMPTS: '30',
  EVENT_GRID_EVENT_TTL_MINUTES: '1440',
  POST_DEPLOY_RETRY_DELAY_SECONDS: '0',
};

let fakeDir: string;

beforeEach(async () => {
  fakeDir = await mkdtemp(path.join(tmpdir(), 'post-deploy-'));
  for (const [name, body] of [['az', FAKE_AZ], ['azd', FAKE_AZD]] as const) {
    await writeFile(path.join(fakeDir, name), body);
    await chmod(path.join(fakeDir, name), 0o755);
  }
});

afterEach(async () => {
  await rm(fakeDir, { recursive: true, force: true });
});

interface HookRun {
  code: number;
  stderr: string;
  calls: string[];
}

async function runHook(env: Record<string, string>): Promise<HookRun> {
  const fullEnv = { PATH: `${fakeDir}:${process.env.PATH ?? ''}`, HOME: fakeDir, FAKE_DIR: fakeDir, ...env };
  const { code, stderr } = await execFileAsync('sh', [SCRIPT], { env: fullEnv, cwd: REPO_ROOT, timeout: 30_000 }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? '' }),
  );
  const calls = (await readFile(path.join(fakeDir, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, stderr, calls };
}

/** The parameters of the (n-th, from 1; default the last) deployment the hook made. */
async function deployedParameters(n?: number): Promise<Record<string, { value: unknown }>> {
  const file = n === undefined ? 'params.json' : `params-${n}.json`;
  return (JSON.parse(await readFile(path.join(fakeDir, file), 'utf8')) as { parameters: Record<string, { value: unknown }> }).parameters;
}

describe('scripts/post-deploy.sh (azd postdeploy hook)', () => {
  it('waits for the function to be listed, then deploys eventSubscription.bicep into the ACS resource group', async () => {
    const run = await runHook({ ...AZD_ENV, FAKE_FUNCTION_MISSING_TIMES: '2' });
    expect(run.code, run.stderr).toBe(0);

    const shows = run.calls.filter((c) => c.startsWith('az functionapp function show'));
    expect(shows).toHaveLength(3);
    expect(shows[0]).toContain('--resource-group rg-test --name func-abc --function-name recordingFileStatusUpdated');
    expect(run.stderr).toMatch(/not yet \(attempt 2 of 20\)/);

    const deploy = run.calls.filter((c) => c.startsWith('az deployment group create'));
    expect(deploy).toHaveLength(1);
    expect(deploy[0]).toContain('--resource-group rg-comms');
    expect(deploy[0]).toContain(`--template-file ${path.join(REPO_ROOT, 'infra/app/eventSubscription.bicep')}`);
    // The deployment comes after the function showed up, and the hand-over to main.bicep after the deployment.
    const order = run.calls.map((c) => c.split(' ').slice(0, 3).join(' '));
    expect(order.lastIndexOf('az functionapp function')).toBeLessThan(order.indexOf('az deployment group'));
    expect(run.calls.at(-1)).toBe('azd env set DEPLOY_EVENT_SUBSCRIPTION true');

    expect(await deployedParameters()).toEqual({
      systemTopicName: { value: 'egst-abc' },
      name: { value: 'recording-file-status-updated' },
      includedEventTypes: { value: ['Microsoft.Communication.RecordingFileStatusUpdated'] },
      functionAppResourceId: { value: AZD_ENV.AZURE_FUNCTION_APP_RESOURCE_ID },
      functionAppHostName: { value: 'func-abc.azurewebsites.net' },
      functionName: { value: 'recordingFileStatusUpdated' },
      endpointType: { value: 'AzureFunction' },
      deadLetterStorageAccountId: { value: AZD_ENV.EVENT_GRID_DEAD_LETTER_STORAGE_ID },
      deadLetterContainerName: { value: 'eventgrid-deadletter' },
      maxDeliveryAttempts: { value: 30 },
      eventTimeToLiveInMinutes: { value: 1440 },
    });
  });

  it('with RECORD_ON_CALL_STARTED=true, also subscribes callStartedEvents to CallStarted and CallEnded, with the same policy', async () => {
    const run = await runHook({ ...AZD_ENV, RECORD_ON_CALL_STARTED: 'true', EVENT_GRID_MAX_DELIVERY_ATTEMPTS: '12' });
    expect(run.code, run.stderr).toBe(0);
    const shows = run.calls.filter((c) => c.startsWith('az functionapp function show'));
    expect(shows.map((c) => /--function-name (\S+)/.exec(c)?.[1])).toEqual(['recordingFileStatusUpdated', 'callStartedEvents']);
    const deploys = run.calls.filter((c) => c.startsWith('az deployment group create'));
    expect(deploys.map((c) => /--name (\S+)/.exec(c)?.[1])).toEqual(['recording-file-status-updated-test', 'call-started-events-test']);
    // Each deployment waits for its own function.
    const order = run.calls.map((c) => (c.includes('--function-name callStartedEvents') ? 'show-calls' : c.split(' ').slice(0, 3).join(' ')));
    expect(order.indexOf('show-calls')).toBeGreaterThan(order.indexOf('az deployment group'));
    expect(order.lastIndexOf('az deployment group')).toBeGreaterThan(order.indexOf('show-calls'));

    const [recordings, calls] = [await deployedParameters(1), await deployedParameters(2)];
    expect(calls).toEqual({
      ...recordings,
      name: { value: 'call-started-events' },
      functionName: { value: 'callStartedEvents' },
      includedEventTypes: { value: ['Microsoft.Communication.CallStarted', 'Microsoft.Communication.CallEnded'] },
    });
    expect(calls.maxDeliveryAttempts).toEqual({ value: 12 });
    expect(run.calls.at(-1)).toBe('azd env set DEPLOY_EVENT_SUBSCRIPTION true');
  });

  it('subscribes nothing to CallStarted unless asked', async () => {
    const off = await runHook({ ...AZD_ENV, RECORD_ON_CALL_STARTED: 'false' });
    expect(off.code, off.stderr).toBe(0);
    expect(off.calls.filter((c) => c.startsWith('az deployment group create'))).toHaveLength(1);
    expect(off.calls.join('\n')).not.toContain('callStartedEvents');
  });

  it('refuses a RECORD_ON_CALL_STARTED that is not a boolean, before calling anything', async () => {
    const bad = await runHook({ ...AZD_ENV, RECORD_ON_CALL_STARTED: 'yes' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/RECORD_ON_CALL_STARTED must be true or false/);
    expect(bad.calls).toEqual([]);
  });

  it('passes only parameters eventSubscription.bicep declares', async () => {
    const run = await runHook({ ...AZD_ENV, EVENT_SUBSCRIPTION_ENDPOINT_TYPE: 'WebHook', FAKE_SYSTEM_KEY: 'k' });
    expect(run.code, run.stderr).toBe(0);
    const bicep = await readFile(path.join(REPO_ROOT, 'infra/app/eventSubscription.bicep'), 'utf8');
    const declared = [...bicep.matchAll(/^param (\w+)/gm)].map((m) => m[1]);
    for (const name of Object.keys(await deployedParameters())) expect(declared).toContain(name);
  });

  it('with a WebHook endpoint, hands the system key over in a private, deleted file, never on a command line', async () => {
    const key = 'SyStEmKeY-0123456789abcdef==';
    const run = await runHook({ ...AZD_ENV, EVENT_SUBSCRIPTION_ENDPOINT_TYPE: 'WebHook', FAKE_SYSTEM_KEY: key, RECORD_ON_CALL_STARTED: 'true' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.calls.filter((c) => c.startsWith('az functionapp keys list'))).toHaveLength(1);
    expect((await deployedParameters(1)).eventGridSystemKey).toEqual({ value: key });
    expect(run.calls.join('\n')).not.toContain(key);
    expect(run.stderr).not.toContain(key);

    const params = await deployedParameters();
    expect(params.endpointType).toEqual({ value: 'WebHook' });
    expect(params.eventGridSystemKey).toEqual({ value: key });
    const usedPath = (await readFile(path.join(fakeDir, 'params-path'), 'utf8')).trim();
    await expect(readFile(usedPath)).rejects.toMatchObject({ code: 'ENOENT' });
    // main.bicep cannot reproduce a webhook, so the subscription is not handed over to it.
    expect(run.calls.some((c) => c.startsWith('azd env set'))).toBe(false);
  });

  it('gives up after the configured number of attempts when the function never appears, without deploying', async () => {
    const run = await runHook({ ...AZD_ENV, FAKE_FUNCTION_MISSING_TIMES: '100', POST_DEPLOY_MAX_ATTEMPTS: '3' });
    expect(run.code).not.toBe(0);
    expect(run.calls.filter((c) => c.startsWith('az functionapp function show'))).toHaveLength(3);
    expect(run.calls.some((c) => c.startsWith('az deployment'))).toBe(false);
    expect(run.stderr).toMatch(/recordingFileStatusUpdated never appeared on func-abc/);
  });

  it('refuses to run without the provisioning outputs, naming the missing one', async () => {
    const { ACS_SYSTEM_TOPIC_NAME: _omitted, ...partial } = AZD_ENV;
    const run = await runHook(partial);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/ACS_SYSTEM_TOPIC_NAME is not set/);
    expect(run.calls).toEqual([]);
  });

  it('rejects an unknown endpoint type and does nothing when asked to skip', async () => {
    const bad = await runHook({ ...AZD_ENV, EVENT_SUBSCRIPTION_ENDPOINT_TYPE: 'Queue' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/must be AzureFunction or WebHook/);

    const skipped = await runHook({ ...AZD_ENV, SKIP_EVENT_SUBSCRIPTION: 'true' });
    expect(skipped.code).toBe(0);
    expect(skipped.calls).toEqual([]);
  });
});
