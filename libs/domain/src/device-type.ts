/** Device types of a smart metering system (DCC-REFERENCE §2.1). */
export const DEVICE_TYPES = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS', 'IHD', 'CAD'] as const;

export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Meter generations; they take different delivery paths through the hub. */
export type SmetsGeneration = 'SMETS1' | 'SMETS2';
