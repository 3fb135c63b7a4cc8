import { describe, expect, it } from 'vitest';
import { knownEnumValue } from '../../src/acs/knownEnumValue.js';
import { RECORDING_KINDS, RECORDING_STATES } from '../../src/acs/models.js';
import { parseCallAutomationEvents } from '../../src/calls/parseCallAutomationEvents.js';
import { cloudEvent } from '../calls/support/cloudEvents.js';

describe('knownEnumValue', () => {
  it.each([
    ['AzureCommunicationServices', 'azureCommunicationServices'],
    ['azureCommunicationServices', 'azureCommunicationServices'],
    ['TEAMSCOMPLIANCE', 'teamsCompliance'],
    ['Teams', 'teams'],
    ['SomethingNew', 'SomethingNew'],
  ])('reads the recording kind %s as %s', (sent, read) => {
    expect(knownEnumValue(RECORDING_KINDS, sent)).toBe(read);
  });

  it('keeps an unknown state as it came and maps known ones to camelCase', () => {
    expect(knownEnumValue(RECORDING_STATES, 'Active')).toBe('active');
    expect(knownEnumValue(RECORDING_STATES, 'Paused')).toBe('Paused');
  });

  it('is what the callback parser applies to RecordingStateChanged', () => {
    const [event] = parseCallAutomationEvents([
      cloudEvent('RecordingStateChanged', { serverCallId: 's', recordingId: 'r', state: 'Inactive', recordingKind: 'TeamsCompliance' }),
    ]);
    expect(event).toMatchObject({ kind: 'RecordingStateChanged', state: 'inactive', recordingKind: 'teamsCompliance' });
    const [unknown] = parseCallAutomationEvents([cloudEvent('RecordingStateChanged', { serverCallId: 's', recordingId: 'r', state: 'Archiving', recordingKind: 'NewKind' })]);
    expect(unknown).toMatchObject({ state: 'Archiving', recordingKind: 'NewKind' });
  });
});
