// Pure decision: which kind of call a CallStarted event announces, for CALL_STARTED_FILTER. ACS marks Rooms calls
// with `isRoomsCall` (or, when that flag is absent, a `room` id), and 1:1 calls with `isTwoParty`; everything else (ad-hoc group calls, and events that
// say neither) counts as a group call. `group.id` alone decides nothing: the Learn examples show a 1:1 call with a
// zero group id.
import type { CallKind } from '../config.js';
import type { CallLifecycleEventBase } from './parseCallLifecycleEvent.js';

export function callKindOf(event: Pick<CallLifecycleEventBase, 'isRoomsCall' | 'roomId' | 'isTwoParty'>): CallKind {
  const rooms = event.isRoomsCall ?? (event.roomId !== undefined && event.roomId.trim() !== '');
  if (rooms) return 'roomsCalls';
  if (event.isTwoParty === true) return 'twoPartyCalls';
  return 'groupCalls';
}
