// The CloudEvents 1.0 envelope of Call Automation webhook callbacks (reference §4a).
import { randomUUID } from 'node:crypto';
import { EVENT_API_VERSION } from '../defaults.js';

export interface CallAutomationCloudEvent {
  id: string;
  source: string;
  type: string;
  data: Record<string, unknown>;
  time: string;
  specversion: '1.0';
  datacontenttype: 'application/json';
  subject: string;
}

/** Wraps `data` of event `name` (e.g. `CallConnected`); adds `version` and `publicEventType` like the service. */
export function callAutomationCloudEvent(name: string, data: Record<string, unknown>, source: string, subject = source): CallAutomationCloudEvent {
  const type = `Microsoft.Communication.${name}`;
  return {
    id: randomUUID(),
    source,
    type,
    data: { version: EVENT_API_VERSION, ...data, publicEventType: type },
    time: new Date().toISOString(),
    specversion: '1.0',
    datacontenttype: 'application/json',
    subject,
  };
}
