// The distro starts only where APPLICATIONINSIGHTS_CONNECTION_STRING is set, with the Entra credential the deployment
// configures (APPLICATIONINSIGHTS_AUTHENTICATION_STRING), raw HTTP spans off; and every invocation runs inside the
// trace the Functions host started (its traceparent), through the library's real InvocationContext.
import { ManagedIdentityCredential } from '@azure/identity';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { propagation } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { ConfigError } from '../../src/config.js';
import { bindHostTraceContext, startTelemetry } from '../../src/shared/startTelemetry.js';
import { InvocationContext } from '../../tools/local/host/functionsLib.js';

const CONNECTION = 'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

async function started(env: Record<string, string>): Promise<AzureMonitorOpenTelemetryOptions[]> {
  const calls: AzureMonitorOpenTelemetryOptions[] = [];
  const result = await startTelemetry(env, (o) => calls.push(o));
  expect(result).toBe(calls.length === 1);
  return calls;
}

describe('startTelemetry', () => {
  it('does nothing (the distro is not even loaded) without APPLICATIONINSIGHTS_CONNECTION_STRING, or with OTEL_SDK_DISABLED', async () => {
    expect(await started({})).toEqual([]);
    expect(await started({ APPLICATIONINSIGHTS_CONNECTION_STRING: '  ' })).toEqual([]);
    expect(await started({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, OTEL_SDK_DISABLED: 'true' })).toEqual([]);
  });

  it('starts the distro with the connection string and the user-assigned identity for Entra auth, raw HTTP spans off', async () => {
    const [options] = await started({
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${CLIENT_ID};Authorization=AAD`,
    });
    expect(options?.azureMonitorExporterOptions?.connectionString).toBe(CONNECTION);
    expect(options?.azureMonitorExporterOptions?.credential).toBeInstanceOf(ManagedIdentityCredential);
    expect(options?.instrumentationOptions).toMatchObject({ http: { enabled: false }, azureSdk: { enabled: true } });

    const [keyOnly] = await started({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION });
    expect(keyOnly?.azureMonitorExporterOptions?.credential).toBeUndefined();
  });

  it('refuses malformed settings instead of sending nowhere', async () => {
    await expect(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.com' }, () => undefined)).rejects.toThrow(ConfigError);
    await expect(
      startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=x' }, () => undefined),
    ).rejects.toThrow(/Authorization=AAD/);
  });
});

describe('bindHostTraceContext', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });

  it("runs the handler inside the host's trace", () => {
    const traceParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const invocationContext = new InvocationContext({ functionName: 'f', traceContext: { traceParent, traceState: 'k=v', attributes: {} } });
    const pre = { invocationContext, functionHandler: () => trace.getSpanContext(context.active()), hookData: {}, inputs: [] };
    bindHostTraceContext(pre);
    const seen = pre.functionHandler();
    expect(seen).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });
    expect(seen?.traceState?.get('k')).toBe('v');

    // Without a trace context the handler is left as it is.
    const untouched = { invocationContext: new InvocationContext({ functionName: 'f' }), functionHandler: () => 1, hookData: {}, inputs: [] };
    const before = untouched.functionHandler;
    bindHostTraceContext(untouched);
    expect(untouched.functionHandler).toBe(before);
  });
});
