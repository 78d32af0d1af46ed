import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCorrectMapEntryNames } from './reflection-descriptors.js';

const require = createRequire(import.meta.url);
const { FileDescriptorProto } = require('protobufjs/ext/descriptor') as {
  FileDescriptorProto: {
    decode(b: Uint8Array): {
      messageType: { name: string; nestedType: { name: string }[]; field: { typeName: string }[] }[];
    };
  };
};

describe('withCorrectMapEntryNames', () => {
  it('names map entries <Field>Entry so strict reflection clients accept the descriptors', () => {
    const definition = withCorrectMapEntryNames(
      loadSync('health/v1/health.proto', { includeDirs: [resolve(dirname(healthProtoPath), '..', '..')] }),
    );
    const entry = definition['grpc.health.v1.HealthListResponse'] as { fileDescriptorProtos: Buffer[] };
    const files = entry.fileDescriptorProtos.map((b) => FileDescriptorProto.decode(b));
    const list = files.flatMap((f) => f.messageType).find((m) => m.name === 'HealthListResponse')!;
    expect(list.nestedType.map((n) => n.name)).toEqual(['StatusesEntry']);
    expect(list.field[0]!.typeName).toBe('StatusesEntry');
  });
});
