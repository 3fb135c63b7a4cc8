// Raw IDs (as stored, logged, or received in events: "8:acs:…", "4:+1425…") → the REST CommunicationIdentifierModel.
// Parsing follows @azure/communication-common's own rawId rules, so prefixes we never thought of are handled the way
// every ACS SDK handles them.
import { createIdentifierFromRawId, getIdentifierKind, serializeCommunicationIdentifier } from '@azure/communication-common';
import type { CommunicationIdentifierModel } from './models.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

/**
 * The identifier model ACS expects in requests (e.g. `audioChannelParticipantOrdering`, `channelAffinity`),
 * with `kind` first as the Call Automation SDK serializes it.
 *
 * - `8:acs:…`, `8:spool:…` (and `8:acs:<resource>_<tenant>_<user>` when it has three parts → `teamsExtensionUser`)
 * - `4:+14255550123` → `phoneNumber` (`4:anonymous` is anonymous; `_<assertedId>` suffix kept)
 * - `8:orgid:` / `8:dod:` / `8:gcch:` → `microsoftTeamsUser` with that cloud; `8:teamsvisitor:` → anonymous Teams user
 * - `28:orgid:` / `28:dod:` / `28:gcch:` → `microsoftTeamsApp`
 * - anything else → `{ kind: 'unknown', rawId }`
 *
 * @example identifierFromRawId('4:+14255550123')
 * // { kind: 'phoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } }
 */
export function identifierFromRawId(rawId: string): CommunicationIdentifierModel {
  const identifier = createIdentifierFromRawId(rawId);
  const kind = getIdentifierKind(identifier).kind;
  const serialized = serializeCommunicationIdentifier(identifier);
  // The library omits `kind` and leaves `assertedId: undefined`; JSON drops the latter, but keep values clean.
  return withoutUndefined({ kind, ...serialized, rawId: serialized.rawId ?? rawId }, { deep: true }) as CommunicationIdentifierModel;
}
