/** Vocabulary alignment: equivalence both ways, narrower upwards only, transitively, cycle-safe. */
import { AlignmentStore, type Mapping } from '../src/alignment/alignment-store';

const eq = (v1: string, t1: string, v2: string, t2: string): Mapping => ({ kind: 'equivalent', from: { vocabulary: v1, term: t1 }, to: { vocabulary: v2, term: t2 } });
const narrower = (v1: string, t1: string, v2: string, t2: string): Mapping => ({ kind: 'narrower', from: { vocabulary: v1, term: t1 }, to: { vocabulary: v2, term: t2 } });

function store(): AlignmentStore {
  const s = new AlignmentStore();
  s.add(eq('DCI', 'file-ext', 'DCII', 'extension'));
  s.add(narrower('DCI', 'neurologist', 'DCI', 'physician'));
  s.add(narrower('DCI', 'physician', 'DCI', 'medical-staff'));
  s.add(eq('DCI', 'physician', 'DCII', 'doctor'));
  return s;
}

describe('AlignmentStore', () => {
  it("DCII's extension is DCI's file-ext, and back", () => {
    const s = store();
    expect(s.aligned('extension', 'DCI')).toEqual(['file-ext']);
    expect(s.aligned('file-ext', 'DCII')).toEqual(['extension']);
  });

  it('a term aligns to itself in its own vocabulary', () => {
    expect(store().aligned('file-ext', 'DCI')).toEqual(['file-ext']);
  });

  it('a neurologist is a physician and medical staff (transitively), and a DCII doctor', () => {
    const s = store();
    expect(s.aligned('neurologist', 'DCI')).toEqual(['medical-staff', 'neurologist', 'physician']);
    expect(s.aligned('neurologist', 'DCII')).toEqual(['doctor']);
  });

  it('narrower does not go downwards: a physician is not a neurologist', () => {
    expect(store().aligned('physician', 'DCI')).toEqual(['medical-staff', 'physician']);
    expect(store().aligned('doctor', 'DCI')).toEqual(['medical-staff', 'physician']);
  });

  it('unknown terms and vocabularies give an empty bag', () => {
    expect(store().aligned('nurse', 'DCI')).toEqual([]);
    expect(store().aligned('neurologist', 'DCIII')).toEqual([]);
  });

  it('terminates on cycles', () => {
    const s = new AlignmentStore();
    s.add(narrower('V', 'a', 'V', 'b'));
    s.add(narrower('V', 'b', 'V', 'c'));
    s.add(narrower('V', 'c', 'V', 'a'));
    expect(s.aligned('a', 'V')).toEqual(['a', 'b', 'c']);
  });

  it('removes mappings, lists vocabularies, and bounds its size', () => {
    const s = store();
    expect(s.remove(eq('DCI', 'file-ext', 'DCII', 'extension'))).toBe(true);
    expect(s.aligned('extension', 'DCI')).toEqual([]);
    expect(s.vocabularies()).toEqual(['DCI', 'DCII']);
    const small = new AlignmentStore({ maxMappings: 1, maxVisited: 10 });
    expect(small.add(eq('A', 'x', 'B', 'y'))).toBe(true);
    expect(small.add(eq('A', 'x', 'B', 'y'))).toBe(true);
    expect(small.add(eq('A', 'z', 'B', 'w'))).toBe(false);
  });
});
