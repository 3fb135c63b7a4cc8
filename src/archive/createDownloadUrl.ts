// A read-only, short-lived URL of one archived blob. In Azure the app has no account key: the URL is a user
// delegation SAS, signed with a user delegation key the app's managed identity obtains
// (`generateUserDelegationKey`, included in Storage Blob Data Contributor on the archive account). With a connection
// string that carries an account key (Azurite locally) it is a service SAS signed with that key. The URL is a bearer
// credential: never log it (log the blob name and expiry instead).
import { BlobSASPermissions, BlobServiceClient, SASProtocol, StorageSharedKeyCredential, type ContainerClient, type UserDelegationKey } from '@azure/storage-blob';

/** A delegation key is reused while it stays valid this much longer than the longest link (60 min). */
const KEY_REUSE_MARGIN_MS = 65 * 60_000;
/** Lifetime requested for a user delegation key (at most 7 days are allowed). */
const KEY_LIFETIME_MS = 6 * 60 * 60_000;

export interface DownloadUrl {
  url: string;
  expiresOn: Date;
  /** `service` (account key) or `userDelegation` (managed identity). */
  kind: 'service' | 'userDelegation';
}

const keys = new WeakMap<ContainerClient, Promise<UserDelegationKey>>();

export async function createDownloadUrl(container: ContainerClient, blobName: string, validForMs: number, now: Date = new Date()): Promise<DownloadUrl> {
  const blob = container.getBlobClient(blobName);
  const expiresOn = new Date(now.getTime() + validForMs);
  const options = {
    permissions: BlobSASPermissions.parse('r'),
    expiresOn,
    // Azurite is served over http; in Azure the endpoint is https, and only https is allowed then.
    protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
  };
  if (container.credential instanceof StorageSharedKeyCredential) {
    return { url: await blob.generateSasUrl(options), expiresOn, kind: 'service' };
  }
  const key = await userDelegationKey(container, now);
  return { url: await blob.generateUserDelegationSasUrl(options, key), expiresOn, kind: 'userDelegation' };
}

/** The cached user delegation key of the container's account, renewed before it gets too short for a link. */
async function userDelegationKey(container: ContainerClient, now: Date): Promise<UserDelegationKey> {
  const cached = keys.get(container);
  if (cached) {
    const key = await cached.catch(() => undefined);
    if (key && key.signedExpiresOn.getTime() - now.getTime() > KEY_REUSE_MARGIN_MS) return key;
  }
  const accountUrl = new URL(container.url);
  accountUrl.pathname = '/';
  const service = new BlobServiceClient(accountUrl.toString(), container.credential);
  const pending = service.getUserDelegationKey(new Date(now.getTime() - 5 * 60_000), new Date(now.getTime() + KEY_LIFETIME_MS));
  keys.set(container, pending);
  pending.catch(() => keys.delete(container));
  return pending;
}
