import { empty, type SampleMapper } from './map-common.js';

/** 7.x supply control. */
export const SUPPLY_MAPPERS: Record<string, SampleMapper> = {
  '7.1': empty('enableSupply'),
  '7.2': empty('disableSupply'),
  '7.3': empty('armSupply'),
  '7.4': empty('readSupplyStatus'),
};
