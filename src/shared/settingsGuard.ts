// Settings that fail fast: checked once when the app starts (one clear error line naming every bad setting and its
// masked value) and before every invocation, which, while the settings are bad, is answered without running the
// function: HTTP functions with 500 {"error":{"code":"ConfigError","message"}}, every other trigger by failing with
// the same ConfigError (Event Grid retries and then dead-letters; nothing is lost).
import type { HttpResponseInit, PreInvocationContext } from '@azure/functions';
import { checkAppSettings, ConfigError } from '../config.js';
import { toApiResponse } from '../calls/toApiResponse.js';
import { silentLogger } from './logging.js';

/** The settings' problem, if any (the configuration is cached once valid, so this is cheap per invocation). */
export function settingsProblem(): ConfigError | undefined {
  try {
    checkAppSettings();
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
}

/** appStart: one line saying what is wrong, so the operator sees it before the first request fails. */
export function reportSettingsAtStart(write: (line: string) => void = (line) => console.error(line)): ConfigError | undefined {
  const problem = settingsProblem();
  if (problem) write(`ConfigError: every function answers 500 ConfigError until the settings are fixed. ${problem.message}`);
  return problem;
}

/** preInvocation: replaces the handler while the settings are bad. */
export function guardInvocation(context: PreInvocationContext): void {
  const problem = settingsProblem();
  if (!problem) return;
  const invocation = context.invocationContext;
  invocation.error(`Not running ${invocation.functionName}: ${problem.message}`);
  context.functionHandler =
    invocation.options.trigger.type === 'httpTrigger'
      ? (): HttpResponseInit => toApiResponse(problem, silentLogger) // already logged above
      : () => {
          throw problem;
        };
}
