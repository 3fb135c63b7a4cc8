// Authentication for every ACS request, reusing @azure/communication-common (pinned 2.4.2: it signs host:port
// correctly — ≤2.4.0 doubled the port, reference §2.2).
import { createCommunicationAuthPolicy } from '@azure/communication-common';
import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { AcsAuthConfig } from '../../config.js';

/** The scope the Communication SDKs request (the double slash is literally theirs, reference §2.6). */
export const ACS_TOKEN_SCOPE = 'https://communication.azure.com//.default';

export interface AcsAuthPolicyOptions {
  /** Replaces the ManagedIdentityCredential for `managedIdentity` auth (tests, or another Entra credential). */
  credential?: TokenCredential;
}

/**
 * - `connectionString`: HMAC-SHA256 over `VERB\npath?query\nx-ms-date;host;content-sha256` with the base64-decoded
 *   access key (headers `x-ms-date`, `x-ms-content-sha256`, `Host`, `Authorization: HMAC-SHA256 …`).
 * - `managedIdentity`: `Authorization: Bearer <token>` for {@link ACS_TOKEN_SCOPE} from a ManagedIdentityCredential
 *   (user-assigned when `clientId` is set).
 *
 * Add it in the "Sign" phase so it runs after the retry policy: each attempt is signed afresh.
 */
export function acsAuthPolicy(auth: AcsAuthConfig, options: AcsAuthPolicyOptions = {}): PipelinePolicy {
  if (auth.kind === 'connectionString') {
    // A KeyCredential is just `{ key }`; AzureKeyCredential lives in @azure/core-auth, which is not a direct dependency.
    return createCommunicationAuthPolicy({ key: auth.accessKey });
  }
  const credential =
    options.credential ?? (auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential());
  return createCommunicationAuthPolicy(credential);
}
