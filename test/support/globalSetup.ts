// vitest globalSetup: start one Azurite (blob, queue, table; in memory) on free loopback ports for the run,
// hand its connection string to the tests via provide/inject, and stop it afterwards.
import type { TestProject } from 'vitest/node';
import { startAzurite, type AzuriteHandle } from '../../tools/local/azurite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

let azurite: AzuriteHandle | undefined;

export async function setup(project: TestProject): Promise<void> {
  azurite = await startAzurite({ inMemory: true });
  project.provide('storageConnectionString', azurite.connectionString);
}

export async function teardown(): Promise<void> {
  await azurite?.stop();
}
