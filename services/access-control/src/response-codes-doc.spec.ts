import { readFileSync } from 'node:fs';
import { GrpcStatus, RESPONSE_CODES } from '@dcc/domain';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../../docs/response-codes.md', import.meta.url), 'utf8');

describe('docs/response-codes.md', () => {
  it('documents every DUIS code the hub knows, with the gRPC status it maps to', () => {
    const statusName = (status: number) => Object.entries(GrpcStatus).find(([, v]) => v === status)![0];
    for (const [code, { status }] of Object.entries(RESPONSE_CODES)) {
      expect(doc, code).toMatch(new RegExp(`\\b${code}\\b`));
      if (code.startsWith('E') && !['E13', 'E30'].includes(code)) {
        expect(doc, code).toMatch(new RegExp(`\\| ${code} \\| ${statusName(status)} \\|`));
      }
    }
  });
});
