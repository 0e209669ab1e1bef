import { describe, expect, it } from 'vitest';
import { Router, type LiveVariant } from './router.js';

type Picked = ReturnType<Router['pick']>;
const variantOf = (r: Picked) => (typeof r === 'string' ? r : 'cold' in r ? 'cold' : r.variant);
const urlOf = (r: Picked) => (typeof r === 'string' ? r : 'cold' in r ? 'cold' : r.instance.url);

function variants(): LiveVariant[] {
  return [
    { name: 'old', weight: 0.8, instances: [{ url: 'http://a', outstanding: 0 }] },
    {
      name: 'new',
      weight: 0.2,
      instances: [
        { url: 'http://b', outstanding: 2 },
        { url: 'http://c', outstanding: 1 },
      ],
    },
  ];
}

describe('Router', () => {
  it('splits requests by weight, honours a target variant, and picks the least busy instance', () => {
    let draw = 0;
    const draws = [0.1, 0.79, 0.81, 0.99];
    const router = new Router(() => draws[draw++]!);
    router.set('ep', variants());
    const picked = draws.map(() => router.pick('ep'));
    expect(picked.map(variantOf)).toEqual(['old', 'old', 'new', 'new']);
    const targeted = router.pick('ep', 'new');
    expect(urlOf(targeted)).toBe('http://c');
    // A retry avoids the instance that failed while the variant has another.
    const retried = router.pick('ep', 'new', 'http://c');
    expect(urlOf(retried)).toBe('http://b');
    const alone = router.pick('ep', 'old', 'http://a');
    expect(urlOf(alone)).toBe('http://a');
  });

  it('says when there is no such endpoint or variant', () => {
    const router = new Router();
    expect(router.pick('ep')).toBe('no-endpoint');
    router.set('ep', variants());
    expect(router.pick('ep', 'other')).toBe('no-variant');
    router.remove('ep');
    expect(router.pick('ep')).toBe('no-endpoint');
  });

  it('during a blue/green shift sends the new fleet its share, and finds a target in either', () => {
    let draw = 0;
    // Each pick draws once for the fleet, then once for the variant within it.
    const draws = [0.2, 0.5, 0.7, 0.5];
    const router = new Router(() => draws[draw++] ?? 0.5);
    const green: LiveVariant[] = [
      { name: 'green', weight: 1, instances: [{ url: 'http://g', outstanding: 0 }] },
    ];
    router.split('ep', { blue: variants(), green, greenShare: 0.25 });
    const first = router.pick('ep');
    const second = router.pick('ep');
    expect([first, second].map(variantOf)).toEqual(['green', 'old']);
    const targeted = router.pick('ep', 'new');
    expect(variantOf(targeted)).toBe('new');
  });

  it('asks a serverless variant without instances to wake, and throttles it at MaxConcurrency', () => {
    const instances: LiveVariant['instances'] = [];
    const serverless: LiveVariant = {
      name: 'sls',
      weight: 1,
      instances,
      maxConcurrency: 2,
      wake: () => Promise.resolve(),
    };
    const router = new Router();
    router.set('ep', [serverless]);
    expect(router.pick('ep')).toEqual({ cold: serverless });
    instances.push({ url: 'http://s', outstanding: 1 });
    expect(urlOf(router.pick('ep'))).toBe('http://s');
    instances[0]!.outstanding = 2;
    expect(router.pick('ep')).toBe('throttled');
  });
});
