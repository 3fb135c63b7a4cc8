// Drives the call side: CallConnected / CallDisconnected callbacks with a fresh JWT, as Call Automation posts them.
import { callConnectedEvent, callDisconnectedEvent } from '../events/callConnected.js';
import { postCallAutomationCallback } from '../events/postCallAutomationCallback.js';
import type { RecordingLifecycle } from '../recordings/RecordingLifecycle.js';
import type { EmulatorRuntime } from '../runtime.js';

export async function simulateCall(
  rt: EmulatorRuntime,
  lifecycle: RecordingLifecycle,
  o: { callbackUrl: string; serverCallId?: string; callConnectionId?: string; correlationId?: string },
): Promise<{ serverCallId: string; callConnectionId: string; correlationId: string; status: number }> {
  const call = lifecycle.registerCall(o);
  const ids = { serverCallId: call.serverCallId, callConnectionId: call.callConnectionId, correlationId: call.correlationId };
  const { status } = await postCallAutomationCallback(rt, o.callbackUrl, callConnectedEvent(ids));
  return { ...ids, status };
}

export async function disconnectCall(
  rt: EmulatorRuntime,
  lifecycle: RecordingLifecycle,
  o: { callbackUrl: string; serverCallId: string; callConnectionId: string; correlationId: string },
): Promise<{ status: number }> {
  const call = rt.store.callByServerCallId(o.serverCallId) ?? rt.store.callByConnectionId(o.callConnectionId);
  if (call) lifecycle.endCall(call);
  return postCallAutomationCallback(rt, o.callbackUrl, callDisconnectedEvent(o));
}
