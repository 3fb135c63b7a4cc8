// The function key, typed once into the sign-in box and kept in sessionStorage (gone with the tab), never in a URL.
const KEY = 'acs-archiver-function-key';

export function getKey(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function setKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function clearKey(): void {
  sessionStorage.removeItem(KEY);
}
