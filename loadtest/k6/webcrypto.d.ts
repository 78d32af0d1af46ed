// k6 (v1 and later) provides WebCrypto as the global `crypto`; @types/k6 does not declare it yet. Only what the
// scripts use is declared here.
declare const crypto: {
  subtle: {
    importKey(
      format: 'pkcs8',
      keyData: ArrayBuffer,
      algorithm: { name: 'ECDSA'; namedCurve: 'P-256' },
      extractable: boolean,
      usages: ['sign'],
    ): Promise<object>;
    sign(algorithm: { name: 'ECDSA'; hash: 'SHA-256' }, key: object, data: ArrayBuffer): Promise<ArrayBuffer>;
  };
};
