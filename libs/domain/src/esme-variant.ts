/**
 * An ESME's variant, as DUIS and the Smart Metering Inventory spell it (ESMEVariant): the metering (A single
 * element, B twin element, C poly-phase), then D when it has auxiliary load control switches and E when it also has
 * a boost function.
 */
export const ESME_VARIANTS = ['A', 'AD', 'ADE', 'B', 'BD', 'BDE', 'C', 'CD', 'CDE'] as const;
export type EsmeVariant = (typeof ESME_VARIANTS)[number];

export const isEsmeVariant = (text: string): text is EsmeVariant =>
  (ESME_VARIANTS as readonly string[]).includes(text);

/** A poly-phase ESME (variant C…) measures three phases; single- and twin-element ones (A…, B…) one. */
export const isPolyPhase = (variant: EsmeVariant): boolean => variant.startsWith('C');
