// The process-wide callback JWT verifier: one per configuration, so its OpenID configuration and keys are cached
// across invocations (reset with the other lazies when tests change settings).
import { getConfig } from '../config.js';
import { lazy } from '../shared/lazy.js';
import { AcsCallbackJwtVerifier } from './AcsCallbackJwtVerifier.js';

export const callbackJwtVerifier = lazy(() => new AcsCallbackJwtVerifier({ openIdConfigUrl: getConfig().callbackAuth.openIdConfigUrl }));
