import { supportedSrvs } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_SRVS } from './commands/registry.js';

describe('the SRV table names device handlers this model has', () => {
  it('every device SRV of the table has its handler here', () => {
    const handlers: readonly string[] = SUPPORTED_SRVS;
    const device = [...supportedSrvs()].filter(([, entry]) => entry.answeredBy === 'device');
    expect(device.length).toBeGreaterThan(0);
    for (const [srv, entry] of device) expect(handlers, srv).toContain(entry.deviceHandler);
  });
});
