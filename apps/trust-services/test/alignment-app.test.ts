/** The policy-alignment service over HTTP (in-process, supertest), XML in and out. */
import request from 'supertest';
import { serviceDescriptorSchema } from '@safax/contracts';
import { createAlignmentApp, seedAlignmentStore } from '../src/alignment/alignment-app';
import { AlignmentStore } from '../src/alignment/alignment-store';

function app() {
  const store = new AlignmentStore();
  seedAlignmentStore(store, {
    mappings: [
      { kind: 'equivalent', from: { vocabulary: 'DCI', term: 'file-ext' }, to: { vocabulary: 'DCII', term: 'extension' } },
      { kind: 'narrower', from: { vocabulary: 'DCI', term: 'neurologist' }, to: { vocabulary: 'DCI', term: 'physician' } },
      { kind: 'narrower', from: { vocabulary: 'DCI', term: 'a&b' }, to: { vocabulary: 'DCI', term: '<c>' } },
    ],
  });
  return createAlignmentApp(store);
}

const xml = (term: string, vocabulary: string): string => `<?xml version="1.0"?><request><term>${term}</term><vocabulary>${vocabulary}</vocabulary></request>`;

describe('alignment service HTTP', () => {
  it('answers an XML request with an XML bag', async () => {
    const res = await request(app()).post('/aligned').set('content-type', 'application/xml').set('accept', 'application/xml').send(xml('neurologist', 'DCI'));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/xml');
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><aligned><term>neurologist</term><term>physician</term></aligned>');
  });

  it('escapes terms both ways', async () => {
    const res = await request(app()).post('/aligned').set('content-type', 'application/xml').send(xml('a&amp;b', 'DCI'));
    expect(res.text).toContain('<term>&lt;c&gt;</term><term>a&amp;b</term>');
  });

  it('answers JSON when asked in JSON', async () => {
    const res = await request(app()).post('/aligned').set('accept', 'application/json').send({ term: 'extension', vocabulary: 'DCI' });
    expect(res.body).toEqual({ aligned: ['file-ext'] });
    expect((await request(app()).get('/aligned').query({ term: 'file-ext', vocabulary: 'DCII' })).body).toEqual({ aligned: ['extension'] });
  });

  it('refuses DOCTYPEs, malformed XML, other media types and wrong shapes', async () => {
    const a = app();
    const bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><request><term>&a;</term><vocabulary>V</vocabulary></request>';
    const r1 = await request(a).post('/aligned').set('content-type', 'application/xml').send(bomb);
    expect(r1.status).toBe(400);
    expect(r1.body.error.message).toContain('DOCTYPE');
    expect((await request(a).post('/aligned').set('content-type', 'application/xml').send('<request><term>x</request>')).status).toBe(400);
    expect((await request(a).post('/aligned').set('content-type', 'text/plain').send('term=x')).status).toBe(415);
    expect((await request(a).post('/aligned').set('content-type', 'application/xml').send('<other/>')).status).toBe(400);
    expect((await request(a).post('/aligned').set('content-type', 'application/xml').send('<request><term>x</term><term>y</term><vocabulary>V</vocabulary></request>')).status).toBe(400);
    expect((await request(a).post('/aligned').set('content-type', 'application/xml').send(`<request><term>${'x'.repeat(20_000)}</term></request>`)).status).toBe(413);
  });

  it('adds and removes mappings', async () => {
    const a = app();
    const m = { kind: 'equivalent', from: { vocabulary: 'DCI', term: 'physician' }, to: { vocabulary: 'DCII', term: 'doctor' } };
    expect((await request(a).post('/mappings').send(m)).status).toBe(201);
    expect((await request(a).get('/aligned').query({ term: 'neurologist', vocabulary: 'DCII' })).body).toEqual({ aligned: ['doctor'] });
    expect((await request(a).post('/mappings').send({ ...m, kind: 'broader' })).status).toBe(400);
    expect((await request(a).delete('/mappings').send(m)).status).toBe(204);
    expect((await request(a).get('/vocabularies')).body).toEqual({ vocabularies: ['DCI', 'DCII'] });
  });

  it('serves a valid descriptor', async () => {
    const d = serviceDescriptorSchema.parse((await request(app()).get('/descriptor')).body);
    expect(d.functionUrn).toBe('urn:nl:tue:sec:pdp:1.0:udf:alignment:term:aligned');
    expect(d.responseParameters[0]).toMatchObject({ bag: true, location: { kind: 'xpath', expression: '/aligned/term' } });
  });
});
