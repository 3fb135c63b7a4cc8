import { describe, expect, it } from 'vitest';
import { parseCallAutomationEvents } from '../../src/calls/parseCallAutomationEvents.js';
import { ValidationError } from '../../src/shared/errors.js';
import { callConnected, callIds, cloudEvent, recordingStateChanged, startRecordingFailed } from './support/cloudEvents.js';

const ids = callIds('aHR0cHM6Ly9hcGkvY29udj9pPTE=');

function issuesOf(body: unknown): { path: string; message: string }[] {
  try {
    parseCallAutomationEvents(body);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).details as { path: string; message: string }[];
  }
  throw new Error('expected a ValidationError');
}

describe('parseCallAutomationEvents', () => {
  it('types every element, in order, and normalizes ACS time stamps', () => {
    const events = parseCallAutomationEvents([
      { ...callConnected(ids), time: '2022-08-12T03:35:07.8174402+00:00' },
      recordingStateChanged(ids, 'rec/+=', 'active'),
      startRecordingFailed(ids, 'rec/+='),
      cloudEvent('PlayCompleted', { callConnectionId: 'c' }),
    ]);
    expect(events.map((e) => e.kind)).toEqual(['CallConnected', 'RecordingStateChanged', 'StartRecordingFailed', 'ignored']);
    expect(events[0]).toMatchObject({ serverCallId: ids.serverCallId, correlationId: ids.correlationId, time: '2022-08-12T03:35:07.817Z' });
    expect(events[1]).toMatchObject({ recordingId: 'rec/+=', state: 'active', recordingKind: 'azureCommunicationServices' });
    expect(events[2]).toMatchObject({ resultInformation: { code: 400, subCode: 8583, message: 'Recording failed: no audio' } });
  });

  it('treats explicit nulls as absent', () => {
    const [e] = parseCallAutomationEvents([{ ...callConnected(ids), time: null, data: { ...ids, correlationId: null } }]);
    expect(e).toMatchObject({ kind: 'CallConnected', serverCallId: ids.serverCallId });
    expect(e && 'correlationId' in e ? e.correlationId : 'x').toBeUndefined();
  });

  it('refuses a body that is not an array', () => {
    expect(() => parseCallAutomationEvents(callConnected(ids))).toThrow(/JSON array/);
  });

  it('lists every problem of every element', () => {
    const noServerCallId = callConnected(ids);
    delete (noServerCallId.data as Record<string, unknown>).serverCallId;
    const issues = issuesOf([
      recordingStateChanged(ids, 'r', 'active'),
      noServerCallId,
      { ...recordingStateChanged(ids, 'r', 'active'), data: { ...ids, state: 'active' } },
      { type: 'Microsoft.Communication.CallConnected' },
      'not an event',
      { ...callConnected(ids), time: 'yesterday' },
    ]);
    expect(issues.map((i) => i.path)).toEqual(['[1].data.serverCallId', '[2].data.recordingId', '[3].id', '[4]', '[5].time']);
    expect(issues.find((i) => i.path === '[1].data.serverCallId')?.message).toBe('serverCallId is required');
  });

  it('requires data on acted-on types but not on ignored ones', () => {
    expect(issuesOf([{ id: '1', type: 'Microsoft.Communication.CallDisconnected' }]).map((i) => i.path)).toEqual(['[0].data']);
    expect(parseCallAutomationEvents([{ id: '1', type: 'Microsoft.Communication.ParticipantsUpdated' }])).toEqual([
      { kind: 'ignored', eventId: '1', type: 'Microsoft.Communication.ParticipantsUpdated' },
    ]);
  });
});
