import { describe, expect, it } from 'vitest';
import { identifierFromRawId } from '../../src/acs/identifierFromRawId.js';

describe('identifierFromRawId', () => {
  it.each([
    ['8:acs:29bd5ea9-e0fc-4d00-8f6f-339b1f0ee2e2_00000008-6ad3-6540', { kind: 'communicationUser', rawId: '8:acs:29bd5ea9-e0fc-4d00-8f6f-339b1f0ee2e2_00000008-6ad3-6540', communicationUser: { id: '8:acs:29bd5ea9-e0fc-4d00-8f6f-339b1f0ee2e2_00000008-6ad3-6540' } }],
    ['8:spool:abc', { kind: 'communicationUser', rawId: '8:spool:abc', communicationUser: { id: '8:spool:abc' } }],
    ['4:+14255550123', { kind: 'phoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } }],
    ['4:anonymous', { kind: 'phoneNumber', rawId: '4:anonymous', phoneNumber: { value: 'anonymous', isAnonymous: true } }],
    ['8:orgid:u1', { kind: 'microsoftTeamsUser', rawId: '8:orgid:u1', microsoftTeamsUser: { userId: 'u1', isAnonymous: false, cloud: 'public' } }],
    ['8:dod:u1', { kind: 'microsoftTeamsUser', rawId: '8:dod:u1', microsoftTeamsUser: { userId: 'u1', isAnonymous: false, cloud: 'dod' } }],
    ['8:gcch:u1', { kind: 'microsoftTeamsUser', rawId: '8:gcch:u1', microsoftTeamsUser: { userId: 'u1', isAnonymous: false, cloud: 'gcch' } }],
    ['8:teamsvisitor:v1', { kind: 'microsoftTeamsUser', rawId: '8:teamsvisitor:v1', microsoftTeamsUser: { userId: 'v1', isAnonymous: true, cloud: 'public' } }],
    ['28:orgid:app1', { kind: 'microsoftTeamsApp', rawId: '28:orgid:app1', microsoftTeamsApp: { appId: 'app1', cloud: 'public' } }],
    ['28:gcch:app1', { kind: 'microsoftTeamsApp', rawId: '28:gcch:app1', microsoftTeamsApp: { appId: 'app1', cloud: 'gcch' } }],
    ['8:acs:res_tenant_user', { kind: 'teamsExtensionUser', rawId: '8:acs:res_tenant_user', teamsExtensionUser: { userId: 'user', tenantId: 'tenant', resourceId: 'res', cloud: 'public' } }],
    ['8:unknownprefix:x', { kind: 'unknown', rawId: '8:unknownprefix:x' }],
    ['not-a-raw-id', { kind: 'unknown', rawId: 'not-a-raw-id' }],
  ])('%s', (rawId, expected) => {
    expect(identifierFromRawId(rawId)).toStrictEqual(expected);
  });

  it('serializes with kind first, as the Call Automation SDK does (reference §1.3)', () => {
    expect(JSON.stringify(identifierFromRawId('8:acs:res_user1'))).toBe(
      '{"kind":"communicationUser","rawId":"8:acs:res_user1","communicationUser":{"id":"8:acs:res_user1"}}',
    );
    expect(JSON.stringify(identifierFromRawId('4:+14255550123'))).toBe(
      '{"kind":"phoneNumber","rawId":"4:+14255550123","phoneNumber":{"value":"+14255550123","isAnonymous":false}}',
    );
  });
});
