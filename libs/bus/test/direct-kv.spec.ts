import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectKv, KvWriteRefused, MAX_KEYS_PER_BATCH, Requester } from '../src/index.js';

let server: NatsServer;
let nc: NatsConnection;
let requester: Requester;
let kv: KV;
let direct: DirectKv;
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  requester = new Requester(nc, { timeoutMs: 2_000 });
  kv = await new Kvm(nc).create('direct_test', { history: 1 });
  direct = await DirectKv.of(requester, kv);
});

afterAll(async () => {
  requester.close();
  await nc.close();
  await server.stop();
});

describe('DirectKv', () => {
  it('reads and writes the same entries as the KV client, at the same revisions', async () => {
    expect(await direct.get('a.b')).toBeUndefined();
    const revision = await direct.put('a.b', bytes('one'));
    const seen = await kv.get('a.b');
    expect(seen?.string()).toBe('one');
    expect(seen?.revision).toBe(revision);

    const written = await kv.put('a.b', bytes('two'));
    const read = await direct.get('a.b');
    expect(text(read?.value)).toBe('two');
    expect(read).toMatchObject({ revision: written, operation: 'PUT' });
  });

  it('writes with a revision check only over the revision given, and refuses as a conflict otherwise', async () => {
    const first = await direct.create('c.d', bytes('1'));
    await expect(direct.create('c.d', bytes('again'))).rejects.toSatisfy(
      (e: unknown) => e instanceof KvWriteRefused && e.conflict && /wrong last sequence/.test(e.message),
    );
    const second = await direct.put('c.d', bytes('2'), first);
    await expect(direct.put('c.d', bytes('stale'), first)).rejects.toBeInstanceOf(KvWriteRefused);
    expect(text((await direct.get('c.d'))?.value)).toBe('2');
    expect((await direct.get('c.d'))?.revision).toBe(second);
  });

  it('sees delete markers, and creates over one as the KV client does', async () => {
    await direct.put('e.f', bytes('x'));
    await kv.delete('e.f');
    expect((await direct.get('e.f'))?.operation).toBe('DEL');
    await direct.create('e.f', bytes('y'));
    expect((await kv.get('e.f'))?.string()).toBe('y');
  });

  it('reads several keys in one batched request, each entry as a single read returns it', async () => {
    await direct.put('m.one', bytes('1'));
    await direct.put('m.gone', bytes('2'));
    await kv.delete('m.gone');
    await direct.put('m.three', bytes('3'));
    const keys = ['m.one', 'm.gone', 'm.absent', 'm.three'];
    const many = await direct.getMany(keys);
    expect([...many.keys()].sort()).toEqual(['m.gone', 'm.one', 'm.three']);
    for (const key of keys) expect(many.get(key)).toEqual(await direct.get(key));
    expect((await direct.getMany(['m.none', 'm.nothing'])).size).toBe(0);
  });

  it('reads the most keys a batch may hold, and refuses more before asking', async () => {
    const keys = Array.from({ length: MAX_KEYS_PER_BATCH }, (_, i) => `n.${i}`);
    await Promise.all(keys.map((k, i) => direct.put(k, bytes(String(i)))));
    const many = await direct.getMany(keys);
    expect(many.size).toBe(MAX_KEYS_PER_BATCH);
    expect(text(many.get('n.1023')?.value)).toBe('1023');
    await expect(direct.getMany([...keys, 'n.more'])).rejects.toThrow(RangeError);
  });

  it('refuses a bucket without direct gets', async () => {
    const plain = await new Kvm(nc).create('no_direct', { allow_direct: false });
    await expect(DirectKv.of(requester, plain)).rejects.toThrow(/does not allow direct gets/);
  });
});
