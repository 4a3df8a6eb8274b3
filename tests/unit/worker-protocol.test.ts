import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { JsonAnswer } from '../../db/core/json-answer';
import { movedWith, resultMessage, type WorkerResponse } from '../../db/host/worker-protocol';

describe("an answer from a database thread", () => {
  it('comes as UTF-8 JSON bytes moved to the door, not copied, where the contract says the answer is JSON', () => {
    const value = { format: 'columns', nodes: { ids: ['a'], names: ['Московский авиационный институт 北京航空航天大学'] } };
    const message = resultMessage({ kind: 'op', id: 7, name: 'graph.load', input: {}, actor: 'test' }, value);
    if (!('json' in message)) throw new Error('graph.load should answer JSON bytes');
    const moved = movedWith(message);
    expect(moved).toEqual([message.json.buffer]);
    // The bytes own their buffer (no slice of a shared pool that moving would take from others).
    expect(message.json.buffer.byteLength).toBe(message.json.byteLength);

    const { port1, port2 } = new MessageChannel();
    port1.postMessage(message, moved);
    expect(message.json.byteLength).toBe(0);
    const received = receiveMessageOnPort(port2)?.message as WorkerResponse;
    port1.close();
    if (!('json' in received)) throw new Error('the JSON bytes did not arrive');
    const answer = new JsonAnswer(received.json);
    expect(answer.value()).toEqual(value);
    expect(answer.text).toBe(JSON.stringify(value));
  });

  it('comes as a value for every other operation, with nothing moved', () => {
    const message = resultMessage({ kind: 'op', id: 8, name: 'sources.page', input: {}, actor: 'test' }, { rows: [], total: 0 });
    expect(message).toEqual({ kind: 'result', id: 8, ok: true, value: { rows: [], total: 0 } });
    expect(movedWith(message)).toEqual([]);
  });
});
