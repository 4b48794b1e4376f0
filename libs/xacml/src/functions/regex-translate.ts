/**
 * Translates an XPath 2.0 / XML Schema regular expression (the dialect XACML's regexp-match
 * functions use, with fn:matches semantics: unanchored, `^`/`$` anchors) into RE2 syntax, so
 * that matching runs in linear time (re2js) and no pattern can hang the PDP.
 *
 * Handled: `.` (any char but \n and \r), `\s \S \d \D \w \W` with their XML Schema meaning
 * (Unicode digits and word characters, four whitespace characters), `\i \I \c \C` (XML name
 * characters), `\p{IsBlock}` blocks, `\p{Cat}` categories, character-class subtraction
 * `[a-z-[aeiou]]`, reluctant quantifiers and `(?:...)`. Refused with a message: back-references
 * (RE2 cannot do them in linear time), unknown escapes and blocks, malformed classes and
 * quantifiers, other `(?...)` constructs.
 */
import { UNICODE_BLOCKS } from './unicode-blocks';

/** A pattern RE2 cannot express, or that is not a valid XML Schema regular expression. */
export class RegexTranslationError extends Error {
  override readonly name = 'RegexTranslationError';
}

type Range = readonly [number, number];

/** One member of a character class: explicit code point ranges, or a Unicode category. */
type Part = { readonly kind: 'ranges'; readonly ranges: readonly Range[] } | { readonly kind: 'category'; readonly negated: boolean; readonly name: string };

interface CharClass {
  readonly negated: boolean;
  readonly parts: readonly Part[];
  readonly subtract: CharClass | undefined;
}

const MAX_CP = 0x10ffff;

const CATEGORIES = new Set([
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo',
  'M', 'Mn', 'Mc', 'Me',
  'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po',
  'Z', 'Zs', 'Zl', 'Zp',
  'S', 'Sm', 'Sc', 'Sk', 'So',
  'C', 'Cc', 'Cf', 'Co', 'Cn',
]);

const NAME_START: readonly Range[] = [
  [0x3a, 0x3a], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a], [0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x2ff],
  [0x370, 0x37d], [0x37f, 0x1fff], [0x200c, 0x200d], [0x2070, 0x218f], [0x2c00, 0x2fef],
  [0x3001, 0xd7ff], [0xf900, 0xfdcf], [0xfdf0, 0xfffd], [0x10000, 0xeffff],
];

const NAME_CHAR: readonly Range[] = normalize([
  ...NAME_START, [0x2d, 0x2e], [0x30, 0x39], [0xb7, 0xb7], [0x300, 0x36f], [0x203f, 0x2040],
]);

const SPACE: readonly Range[] = [[0x9, 0xa], [0xd, 0xd], [0x20, 0x20]];

/** Single-character escapes of XPath regexes and the code point each stands for. */
const SINGLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 0x0a, r: 0x0d, t: 0x09,
  '\\': 0x5c, '|': 0x7c, '.': 0x2e, '?': 0x3f, '*': 0x2a, '+': 0x2b, '(': 0x28, ')': 0x29,
  '{': 0x7b, '}': 0x7d, '-': 0x2d, '[': 0x5b, ']': 0x5d, '^': 0x5e, '$': 0x24,
};

function normalize(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  // a − b = a ∩ ¬b
  const nb = complement(b);
  const out: Range[] = [];
  for (const [alo, ahi] of normalize(a)) {
    for (const [blo, bhi] of nb) {
      const lo = Math.max(alo, blo);
      const hi = Math.min(ahi, bhi);
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return out;
}

const categoryRangeCache = new Map<string, Range[]>();

/** Code point ranges of a Unicode category, enumerated once (only class subtraction needs it). */
function categoryRanges(name: string): Range[] {
  const hit = categoryRangeCache.get(name);
  if (hit) return hit;
  const re = new RegExp(`^\\p{${name === 'Cn' ? 'Cn' : name}}$`, 'u');
  const out: [number, number][] = [];
  for (let cp = 0; cp <= MAX_CP; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (re.test(String.fromCodePoint(cp))) {
      const last = out[out.length - 1];
      if (last && last[1] === cp - 1) last[1] = cp;
      else out.push([cp, cp]);
    }
  }
  categoryRangeCache.set(name, out);
  return out;
}

function partRanges(p: Part): Range[] {
  if (p.kind === 'ranges') return [...p.ranges];
  const r = categoryRanges(p.name);
  return p.negated ? complement(r) : r;
}

function classRanges(c: CharClass): Range[] {
  let r = normalize(c.parts.flatMap(partRanges));
  if (c.negated) r = complement(r);
  if (c.subtract) r = subtractRanges(r, classRanges(c.subtract));
  return r;
}

function cpEscape(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

function emitRanges(ranges: readonly Range[]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? cpEscape(lo) : `${cpEscape(lo)}-${cpEscape(hi)}`)).join('');
}

function emitPart(p: Part): string {
  return p.kind === 'ranges' ? emitRanges(p.ranges) : `\\${p.negated ? 'P' : 'p'}{${p.name}}`;
}

function emitClass(c: CharClass): string {
  if (c.subtract) {
    const r = classRanges(c);
    return r.length === 0 ? '[^\\x{0}-\\x{10ffff}]' : `[${emitRanges(r)}]`;
  }
  return `[${c.negated ? '^' : ''}${c.parts.map(emitPart).join('')}]`;
}

class Translator {
  private i = 0;
  constructor(private readonly src: string) {}

  private fail(why: string): never {
    throw new RegexTranslationError(`invalid regular expression "${this.src}": ${why} at position ${this.i}`);
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  /** The code point at the cursor, advancing past it (a surrogate pair counts as one). */
  private nextCodePoint(): number {
    const cp = this.src.codePointAt(this.i);
    if (cp === undefined) this.fail('unexpected end');
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  translate(): string {
    let out = '';
    let depth = 0;
    while (this.i < this.src.length) {
      const c = this.src[this.i] as string;
      switch (c) {
        case '\\': {
          this.i++;
          const single = SINGLE_ESCAPES[this.peek() ?? ''];
          if (single !== undefined) {
            this.i++;
            out += cpEscape(single);
          } else {
            out += `[${this.escape(false).map(emitPart).join('')}]`;
          }
          break;
        }
        case '.':
          this.i++;
          out += '[^\\n\\r]';
          break;
        case '[':
          out += emitClass(this.charClass());
          break;
        case '(':
          this.i++;
          if (this.peek() === '?') {
            if (this.src[this.i + 1] !== ':') this.fail('only (?:...) groups are allowed');
            this.i += 2;
            out += '(?:';
          } else {
            out += '(';
          }
          depth++;
          break;
        case ')':
          if (depth === 0) this.fail('unbalanced )');
          depth--;
          this.i++;
          out += ')';
          break;
        case '{': {
          const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.src.slice(this.i));
          if (!m) this.fail('malformed quantifier');
          if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) this.fail('quantifier {n,m} with m < n');
          if (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000)) this.fail('repetition count above 1000');
          this.i += m[0].length;
          out += m[0];
          break;
        }
        case ']':
        case '}':
          this.fail(`unescaped ${c}`);
          break;
        default: {
          const start = this.i;
          this.nextCodePoint();
          out += this.src.slice(start, this.i);
        }
      }
    }
    if (depth !== 0) this.fail('unbalanced (');
    return out;
  }

  /** After a backslash: the class parts the escape denotes. */
  private escape(inClass: boolean): Part[] {
    const c = this.peek();
    if (c === undefined) this.fail('dangling backslash');
    this.i++;
    const single = SINGLE_ESCAPES[c];
    if (single !== undefined) return [{ kind: 'ranges', ranges: [[single, single]] }];
    switch (c) {
      case 's':
        return [{ kind: 'ranges', ranges: SPACE }];
      case 'S':
        return [{ kind: 'ranges', ranges: complement(SPACE) }];
      case 'i':
        return [{ kind: 'ranges', ranges: NAME_START }];
      case 'I':
        return [{ kind: 'ranges', ranges: complement(NAME_START) }];
      case 'c':
        return [{ kind: 'ranges', ranges: NAME_CHAR }];
      case 'C':
        return [{ kind: 'ranges', ranges: complement(NAME_CHAR) }];
      case 'd':
        return [{ kind: 'category', negated: false, name: 'Nd' }];
      case 'D':
        return [{ kind: 'category', negated: true, name: 'Nd' }];
      case 'w':
        return ['L', 'M', 'N', 'S'].map((name) => ({ kind: 'category', negated: false, name }) as const);
      case 'W':
        return ['P', 'Z', 'C'].map((name) => ({ kind: 'category', negated: false, name }) as const);
      case 'p':
      case 'P':
        return [this.property(c === 'P')];
      default:
        if (!inClass && c >= '1' && c <= '9') this.fail('back-references are not supported');
        return this.fail(`unknown escape \\${c}`);
    }
  }

  private property(negated: boolean): Part {
    const m = /^\{([A-Za-z0-9-]+)\}/.exec(this.src.slice(this.i));
    if (!m) this.fail('malformed \\p{...}');
    this.i += m[0].length;
    const name = m[1] as string;
    if (name.startsWith('Is')) {
      const block = UNICODE_BLOCKS[name.slice(2)];
      if (!block) this.fail(`unknown Unicode block ${name}`);
      return { kind: 'ranges', ranges: negated ? complement(block) : block };
    }
    if (!CATEGORIES.has(name)) this.fail(`unknown Unicode category ${name}`);
    return { kind: 'category', negated, name };
  }

  /** A character class starting at '['. */
  private charClass(): CharClass {
    this.i++; // '['
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const parts: Part[] = [];
    let subtract: CharClass | undefined;
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated character class');
      if (c === ']') {
        if (first) this.fail('empty character class');
        this.i++;
        break;
      }
      if (c === '-' && this.src[this.i + 1] === '[') {
        if (first) this.fail('nothing to subtract from');
        this.i++;
        subtract = this.charClass();
        if (this.peek() !== ']') this.fail('a subtraction must end its class');
        this.i++;
        break;
      }
      if (c === '[') this.fail('unescaped [ in a character class');
      parts.push(...this.classAtomOrRange());
      first = false;
    }
    return { negated, parts, subtract };
  }

  private classAtomOrRange(): Part[] {
    const lo = this.classChar();
    if (typeof lo !== 'number') return lo;
    // '-' starts a range unless it is last in the class or begins a subtraction.
    if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== '[' && this.src[this.i + 1] !== undefined) {
      this.i++;
      const hi = this.classChar();
      if (typeof hi !== 'number') this.fail('a range cannot end with a multi-character escape');
      if (hi < lo) this.fail('range out of order');
      return [{ kind: 'ranges', ranges: [[lo, hi]] }];
    }
    return [{ kind: 'ranges', ranges: [[lo, lo]] }];
  }

  /** One class character: a code point, or the parts of a multi-character escape. */
  private classChar(): number | Part[] {
    if (this.peek() === '\\') {
      this.i++;
      const single = SINGLE_ESCAPES[this.peek() ?? ''];
      if (single !== undefined) {
        this.i++;
        return single;
      }
      return this.escape(true);
    }
    return this.nextCodePoint();
  }
}

/** RE2 syntax for an XPath regular expression; throws RegexTranslationError. */
export function translateXPathRegex(pattern: string): string {
  return new Translator(pattern).translate();
}
