/**
 * ECDSA signatures as the hub wants them (DER, an ASN.1 SEQUENCE of two INTEGERs) from WebCrypto's IEEE P1363
 * form (r || s, 32 bytes each for P-256), which is all k6's WebCrypto produces. Node's crypto.sign gives DER
 * directly; this is for the k6 scripts. Only the two fixed-length INTEGERs of a P-256 signature are handled.
 */
export function p1363ToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new RangeError(`a P-256 signature is 64 bytes, not ${raw.length}`);
  const r = derInteger(raw.subarray(0, 32));
  const s = derInteger(raw.subarray(32));
  return Uint8Array.from([0x30, r.length + s.length, ...r, ...s]);
}

/** An unsigned big-endian integer as a DER INTEGER: leading zeros dropped, a zero added when the top bit is set. */
function derInteger(bytes: Uint8Array): number[] {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = Array.from(bytes.subarray(start));
  if ((value[0] ?? 0) & 0x80) value.unshift(0);
  return [0x02, value.length, ...value];
}
