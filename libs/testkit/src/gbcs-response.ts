/** Eight bytes of an EUI-64 written "XX-XX-XX-XX-XX-XX-XX-XX". */
const titleBytes = (eui: string) => eui.split('-').map((octet) => parseInt(octet, 16));

/**
 * A device's GBCS response as the grouping header starts it (General Signing 0xDF09, CRA flag, originator counter,
 * originator and recipient system titles, no date-time, the message code), followed by `content`: what a test
 * hands 8.13 Return Local Command Response. Not signed; the hub reads only the header.
 */
export function gbcsResponseBytes(options: {
  device: string;
  recipient: string;
  counter: bigint;
  messageCode: number;
  craFlag?: number;
  content?: readonly number[];
}): Buffer {
  const counter = Array.from({ length: 8 }, (_, i) =>
    Number((options.counter >> BigInt(56 - 8 * i)) & 0xffn),
  );
  const content = options.content ?? [];
  return Buffer.from([
    0xdf,
    0x09,
    options.craFlag ?? 2,
    ...counter,
    8,
    ...titleBytes(options.device),
    8,
    ...titleBytes(options.recipient),
    0,
    2,
    options.messageCode >> 8,
    options.messageCode & 0xff,
    content.length,
    ...content,
  ]);
}
