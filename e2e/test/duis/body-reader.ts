/**
 * A DUIS body as fast-xml-parser parsed it, read field by field: every leaf the mapping reads is marked
 * consumed, so what it did not read (a field the gRPC request would drop) can be listed afterwards.
 */
type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

/** The sample cannot be expressed on the gRPC API (no body for its SRV, or a field with no place in it). */
export class Unexpressible extends Error {}

export class BodyReader {
  private constructor(
    private readonly node: XmlNode,
    readonly path: string,
    private readonly consumed: Set<string>,
  ) {}

  static of(node: XmlNode): BodyReader {
    return new BodyReader(node, '', new Set());
  }

  /** The leaves (text and attributes, empty elements included) no mapping has read. */
  unconsumed(): string[] {
    const leaves: string[] = [];
    const walk = (node: XmlNode, path: string) => {
      if (typeof node === 'string') {
        if (!this.consumed.has(path)) leaves.push(path || '(body)');
        return;
      }
      for (const [name, child] of Object.entries(node)) {
        if (Array.isArray(child)) child.forEach((c, i) => walk(c, `${this.join(path, name)}[${i}]`));
        else walk(child, this.join(path, name));
      }
    };
    walk(this.node, this.path);
    return leaves;
  }

  /** Whether the element is present. Reading it as a flag consumes it when it is an empty element. */
  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  /** A present empty element (DUIS "flag" elements such as `DeleteDevice`). */
  flag(name: string): boolean {
    const raw = this.raw(name);
    if (raw === undefined) return false;
    if (raw !== '') throw new Unexpressible(`${this.join(this.path, name)} is not an empty element`);
    this.consumed.add(this.join(this.path, name));
    return true;
  }

  /** A required text element. */
  text(name: string): string {
    const value = this.optionalText(name);
    if (value === undefined) throw new Unexpressible(`${this.join(this.path, name)} is missing`);
    return value;
  }

  /** A text element's value without reading it (the mapping decides whether it can carry it over). */
  peekText(name: string): string | undefined {
    const raw = this.raw(name);
    return typeof raw === 'string' ? raw : undefined;
  }

  optionalText(name: string): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (typeof raw === 'string') {
      this.consumed.add(this.join(this.path, name));
      return raw;
    }
    // An element with attributes: its text is `#text`.
    if (!Array.isArray(raw) && typeof raw['#text'] === 'string') {
      this.consumed.add(this.join(this.join(this.path, name), '#text'));
      return raw['#text'];
    }
    throw new Unexpressible(`${this.join(this.path, name)} is not a text element`);
  }

  /** This element's own text (an element read through `children`). */
  value(): string {
    if (typeof this.node === 'string') {
      this.consumed.add(this.path);
      return this.node;
    }
    const text = this.node['#text'];
    if (typeof text !== 'string') throw new Unexpressible(`${this.path} has no text`);
    this.consumed.add(this.join(this.path, '#text'));
    return text;
  }

  /** An attribute of this element (fast-xml-parser prefixes them with `@_`). */
  attribute(name: string): string {
    if (typeof this.node === 'string') throw new Unexpressible(`${this.path} has no attributes`);
    const value = this.node[`@_${name}`];
    if (typeof value !== 'string') throw new Unexpressible(`${this.path}/@${name} is missing`);
    this.consumed.add(this.join(this.path, `@_${name}`));
    return value;
  }

  child(name: string): BodyReader {
    const found = this.optionalChild(name);
    if (!found) throw new Unexpressible(`${this.join(this.path, name)} is missing`);
    return found;
  }

  optionalChild(name: string): BodyReader | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (Array.isArray(raw)) throw new Unexpressible(`${this.join(this.path, name)} repeats`);
    return new BodyReader(raw, this.join(this.path, name), this.consumed);
  }

  /** A repeated element (one or more), in document order. */
  children(name: string): BodyReader[] {
    const raw = this.raw(name);
    if (raw === undefined) return [];
    const path = this.join(this.path, name);
    return Array.isArray(raw)
      ? raw.map((node, i) => new BodyReader(node, `${path}[${i}]`, this.consumed))
      : [new BodyReader(raw, path, this.consumed)];
  }

  /** The element names under this one, in document order (e.g. alert codes written as element names). */
  names(): string[] {
    return typeof this.node === 'string' ? [] : Object.keys(this.node).filter((n) => !n.startsWith('@_'));
  }

  private raw(name: string): XmlNode | XmlNode[] | undefined {
    return typeof this.node === 'string' ? undefined : this.node[name];
  }

  private join(path: string, name: string): string {
    return path ? `${path}.${name}` : name;
  }
}
