// Fault rules: matched per request in the order they were injected, each consumed `times` times.
import type { EmulatorOperation, FaultKind, FaultRule } from '../types.js';

/** What a request is, for matching rules. */
export interface FaultTarget {
  operation: EmulatorOperation;
  documentId?: string;
  recordingId?: string;
}

export class FaultInjector {
  private readonly rules: { rule: FaultRule; remaining: number }[] = [];

  inject(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`FaultRule.times must be a positive integer, got ${times}`);
    this.rules.push({ rule, remaining: times });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The first matching rule's fault (consuming one use), or undefined. */
  take(target: FaultTarget): FaultKind | undefined {
    const index = this.rules.findIndex(({ rule }) => matches(rule, target));
    if (index < 0) return undefined;
    const found = this.rules[index]!;
    if (--found.remaining === 0) this.rules.splice(index, 1);
    return found.rule.fault;
  }
}

function matches(rule: FaultRule, t: FaultTarget): boolean {
  if (rule.operation !== undefined && rule.operation !== t.operation) return false;
  if (rule.documentId !== undefined && rule.documentId !== t.documentId) return false;
  if (rule.recordingId !== undefined && rule.recordingId !== t.recordingId) return false;
  return true;
}
