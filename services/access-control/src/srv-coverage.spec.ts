import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSrvCoverage } from './srv-coverage.js';

describe('docs/srv-coverage.md', () => {
  it('matches the catalogue and the availability table (regenerate with npm run docs)', () => {
    const onDisk = readFileSync(new URL('../../../docs/srv-coverage.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderSrvCoverage());
  });

  it('lists every SRV, each available or (no User Role may send it) refused E2', () => {
    const doc = renderSrvCoverage();
    expect(doc.match(/^\| \d+(\.\d+)+ \|/gm)).toHaveLength(129);
    expect(doc).toMatch(/\| 4\.1\.1 \| Read Instantaneous Import Registers \|.*\*\*available\*\*/);
    expect(doc).toMatch(
      /\| 8\.2 \| Read Inventory \|.*\*\*available\*\*: CV 8 to the hub \(HUB_ID\), answered by registration/,
    );
    expect(doc).toMatch(
      /\| 8\.3 \| Decommission Device \|.*\*\*available\*\*: CV 8 to the hub \(HUB_ID\), answered by registration/,
    );
    expect(doc).toMatch(
      /\| 11\.1 \| Update Firmware \|.*\*\*available\*\*: CV 8 to the hub \(HUB_ID\), answered by firmware-distribution/,
    );
    expect(doc).toMatch(
      /\| 12\.1 \| Request WAN Matrix \|.*\*\*available\*\*: CV 8 to the hub \(HUB_ID\), answered by registration/,
    );
    expect(doc).toMatch(
      /\| 8\.12\.1 \| Restore HAN Device Log \|.*\*\*available\*\*: CV 1, 2, 3, device handler 8\.12\.1/,
    );
    expect(doc).toMatch(
      /\| 8\.12\.2 \| Restore Gas Proxy Function Device Log \|.*\| GPF \| \*\*available\*\*: CV 1, 2, 3, device handler 8\.12\.2/,
    );
    // No SRV is left not yet available.
    expect(doc).not.toMatch(/UNIMPLEMENTED|not yet/);
    const rows = doc.match(/^\| \d+(\.\d+)+ \|.*$/gm) ?? [];
    for (const row of rows) expect(row, row).toMatch(/\*\*available\*\*|refused E2/);
    expect(doc).toMatch(/\| 7\.16 \|.*refused E2/);
  });
});
