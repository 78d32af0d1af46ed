import type { PackageDefinition } from '@grpc/proto-loader';
import { createRequire } from 'node:module';

// protobufjs/ext/descriptor is CommonJS without an ESM entry; load it the way it is published.
const require = createRequire(import.meta.url);
const descriptor = require('protobufjs/ext/descriptor') as {
  FileDescriptorProto: { decode(b: Uint8Array): FileProto; encode(m: FileProto): { finish(): Uint8Array } };
};

interface MessageProto {
  name: string;
  field: { typeName?: string; label?: number; type?: number }[];
  nestedType: MessageProto[];
  options?: { mapEntry?: boolean };
}
interface FileProto {
  messageType: MessageProto[];
}

/**
 * protobufjs (under proto-loader) names a map field's entry message `Statuses` instead of `StatusesEntry`, which
 * strict clients such as grpcurl reject ("incorrect implicit map entry name"); grpc.health.v1's List response
 * has such a map. Renames map entries in the descriptors that reflection serves.
 */
export function withCorrectMapEntryNames(definition: PackageDefinition): PackageDefinition {
  const fixed = new Map<object, Buffer[]>();
  for (const entry of Object.values(definition) as { fileDescriptorProtos?: Buffer[] }[]) {
    const protos = entry.fileDescriptorProtos;
    if (!protos) continue;
    let replacement = fixed.get(protos);
    if (!replacement) {
      replacement = protos.map(fixFile);
      fixed.set(protos, replacement);
    }
    entry.fileDescriptorProtos = replacement;
  }
  return definition;
}

function fixFile(bytes: Buffer): Buffer {
  const file = descriptor.FileDescriptorProto.decode(bytes);
  let changed = false;
  const visit = (message: MessageProto) => {
    for (const nested of message.nestedType) {
      if (nested.options?.mapEntry && !nested.name.endsWith('Entry')) {
        const old = nested.name;
        nested.name = `${old}Entry`;
        for (const field of message.field) if (field.typeName === old) field.typeName = nested.name;
        changed = true;
      }
      visit(nested);
    }
  };
  file.messageType.forEach(visit);
  return changed ? Buffer.from(descriptor.FileDescriptorProto.encode(file).finish()) : bytes;
}
