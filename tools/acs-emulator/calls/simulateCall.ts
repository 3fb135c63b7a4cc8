// Drives the call side: CallConnected / CallDisconnected callbacks with a fresh JWT, as Call Automation posts them,
// and, for a call that publishes them, Event Grid CallStarted / CallEnded, as the resource's system topic delivers
// them to a subscription.
import { createHash } from 'node:crypto';
import { callConnectedEvent, callDisconnectedEvent } from '../events/callConnected.js';
import {
  CALL_ENDED,
  CALL_STARTED,
  callEndedEvent,
  callKindIds,
  callStartedEvent,
  type CallEventShape,
  type EmulatedCallKind,
} from '../events/callLifecycleEvents.js';
import { postCallAutomationCallback } from '../events/postCallAutomationCallback.js';
import { publishEventGridEvent, type EventSchema } from '../events/publishEventGridEvent.js';
import type { RecordingLifecycle } from '../recordings/RecordingLifecycle.js';
import type { EmulatorRuntime } from '../runtime.js';

/** Where and how a call publishes CallStarted (now) and CallEnded (when it ends). */
export interface CallStartedOptions {
  /** The Event Grid subscription endpoint (loopback). */
  url: string;
  /** Default `EventGrid`. */
  schema?: EventSchema;
  /** Payload shape; by default chosen per call (from its serverCallId), so a run of calls sees both. */
  shape?: CallEventShape;
  /** Default `group`. */
  kind?: EmulatedCallKind;
}

export interface SimulateCallOptions {
  /** Call Automation callback URI: receives CallConnected. Without it no callback is posted (a plain VoIP call). */
  callbackUrl?: string;
  serverCallId?: string;
  callConnectionId?: string;
  correlationId?: string;
  /** Publish Event Grid CallStarted now, and CallEnded when the call is disconnected. */
  callStarted?: CallStartedOptions;
}

export interface SimulatedCall {
  serverCallId: string;
  callConnectionId: string;
  correlationId: string;
  /** The receiver's HTTP status: of CallConnected, or of CallStarted when no callback URI was given. */
  status: number;
  /** Status of the CallStarted delivery, when one was published. */
  callStartedStatus?: number;
  /** The payload shape CallStarted / CallEnded use for this call. */
  callEventShape?: CallEventShape;
}

const SUBSCRIPTION_NAME = 'CALL-STARTED-EVENTS';

function shapeFor(serverCallId: string): CallEventShape {
  return (createHash('sha256').update(serverCallId).digest()[0]! & 1) === 0 ? 'systemEvent' : 'learnExample';
}

export async function simulateCall(rt: EmulatorRuntime, lifecycle: RecordingLifecycle, o: SimulateCallOptions): Promise<SimulatedCall> {
  if (!o.callbackUrl && !o.callStarted) throw new TypeError('simulateCall needs a callbackUrl, callStarted, or both');
  const call = lifecycle.registerCall(o);
  const ids = { serverCallId: call.serverCallId, callConnectionId: call.callConnectionId, correlationId: call.correlationId };
  let callStartedStatus: number | undefined;
  if (o.callStarted) {
    const kind = o.callStarted.kind ?? 'group';
    call.events = {
      url: o.callStarted.url,
      schema: o.callStarted.schema ?? 'EventGrid',
      shape: o.callStarted.shape ?? shapeFor(call.serverCallId),
      facts: { serverCallId: call.serverCallId, correlationId: call.correlationId, startedBy: call.participants[0]!, kind, ...callKindIds(kind) },
      startedAt: new Date(),
    };
    const { schema, shape, facts } = call.events;
    ({ status: callStartedStatus } = await publishEventGridEvent(rt, o.callStarted.url, callStartedEvent(facts, shape, schema), { eventType: CALL_STARTED, schema, subscriptionName: SUBSCRIPTION_NAME }));
  }
  const connected = o.callbackUrl ? await postCallAutomationCallback(rt, o.callbackUrl, callConnectedEvent(ids)) : undefined;
  return {
    ...ids,
    status: connected?.status ?? callStartedStatus!,
    ...(callStartedStatus === undefined ? {} : { callStartedStatus, callEventShape: call.events!.shape }),
  };
}

/** Ends the call (its running recording stops and gets its files), then posts CallDisconnected and/or CallEnded. */
export async function disconnectCall(
  rt: EmulatorRuntime,
  lifecycle: RecordingLifecycle,
  o: { callbackUrl?: string; serverCallId: string; callConnectionId?: string; correlationId?: string },
): Promise<{ status: number; callEndedStatus?: number }> {
  const call = rt.store.callByServerCallId(o.serverCallId) ?? (o.callConnectionId ? rt.store.callByConnectionId(o.callConnectionId) : undefined);
  if (!o.callbackUrl && !call?.events?.url) throw new TypeError('disconnectCall needs a callbackUrl, or a call that publishes CallEnded');
  if (call) lifecycle.endCall(call);
  let callEndedStatus: number | undefined;
  if (call?.events?.url) {
    const { url, schema, shape, facts, startedAt } = call.events;
    const durationSeconds = (Date.now() - startedAt.getTime()) / 1000;
    ({ status: callEndedStatus } = await publishEventGridEvent(rt, url, callEndedEvent(facts, shape, schema, durationSeconds), { eventType: CALL_ENDED, schema, subscriptionName: SUBSCRIPTION_NAME }));
  }
  const ids = { serverCallId: o.serverCallId, callConnectionId: o.callConnectionId ?? call?.callConnectionId ?? '', correlationId: o.correlationId ?? call?.correlationId ?? '' };
  const disconnected = o.callbackUrl ? await postCallAutomationCallback(rt, o.callbackUrl, callDisconnectedEvent(ids)) : undefined;
  return { status: disconnected?.status ?? callEndedStatus!, ...(callEndedStatus === undefined ? {} : { callEndedStatus }) };
}

/** A CallStarted / CallEnded event for a call (registered if unknown), with the facts the call publishes. */
export function buildCallEvent(
  lifecycle: RecordingLifecycle,
  type: 'CallStarted' | 'CallEnded',
  serverCallId: string | undefined,
  o: { schema?: EventSchema; shape?: CallEventShape; kind?: EmulatedCallKind } = {},
): object {
  const call = lifecycle.registerCall({ serverCallId });
  if (!call.events || (o.kind && o.kind !== call.events.facts.kind)) {
    const kind = o.kind ?? 'group';
    const facts = { serverCallId: call.serverCallId, correlationId: call.correlationId, startedBy: call.participants[0]!, kind, ...callKindIds(kind) };
    // Remembered (without a delivery URL unless the call already had one) so a later CallEnded reports the same facts.
    call.events = { url: call.events?.url, schema: call.events?.schema ?? 'EventGrid', shape: call.events?.shape ?? shapeFor(call.serverCallId), facts, startedAt: call.events?.startedAt ?? new Date() };
  }
  const schema = o.schema ?? call.events.schema;
  const shape = o.shape ?? call.events.shape;
  return type === 'CallStarted'
    ? callStartedEvent(call.events.facts, shape, schema)
    : callEndedEvent(call.events.facts, shape, schema, (Date.now() - call.events.startedAt.getTime()) / 1000);
}
