import type { SrvDefinition } from './srv-definition.js';

/** The DUIS SRV catalogue as data (DCC-REFERENCE §1.2). */
export const SRV_CATALOGUE_DATA: readonly SrvDefinition[] = [
  {
    srv: '4.1.1',
    name: 'Read Instantaneous Import Registers',
    roles: ['IS', 'GS', 'ED', 'GT'],
    critical: false,
    onDemand: true,
    futureDated: 'DSP',
    dccSchedulable: false,
    nonDevice: false,
    commandVariants: [1, 2, 3],
    deviceTypes: ['ESME', 'GSME', 'GPF'],
    bodyElement: 'ReadInstantaneousImportRegisters',
  },
];
