/**
 * The seeded demo catalog of the KOOB simulator: 24 experiences covering Program (FIT, SIC,
 * Series), Activity, Extra and Transfer in English and French, shaped like the seed's examples
 * (S2). Dates are relative to `today` so the demo always shows future availability.
 */

interface City { id: string; title: string; lat: number; lon: number; code: string; alpha2: string; country: string }

const CITIES: City[] = [
  { id: 'city-789', title: 'Bangkok', lat: 13.7563, lon: 100.5018, code: 'THBKK', alpha2: 'TH', country: 'Thailand' },
  { id: 'city-321', title: 'Rome', lat: 41.9028, lon: 12.4964, code: 'ITROM', alpha2: 'IT', country: 'Italy' },
  { id: 'city-456', title: 'San Francisco', lat: 37.7749, lon: -122.4194, code: 'USSFO', alpha2: 'US', country: 'United States' },
  { id: 'city-654', title: 'Paris', lat: 48.8566, lon: 2.3522, code: 'FRPAR', alpha2: 'FR', country: 'France' },
];

type Kind = 'fit' | 'sic' | 'series' | 'activity' | 'extra' | 'transfer';

interface Template { kind: Kind; en: string; fr: string; price: number; perPax: boolean; days: number; hours: number; currency: string }

const TEMPLATES: Template[] = [
  { kind: 'fit', en: 'Cultural Discovery Tour', fr: 'Circuit découverte culturelle', price: 850, perPax: true, days: 3, hours: 0, currency: 'USD' },
  { kind: 'fit', en: 'Temples and Rivers Private Journey', fr: 'Voyage privé temples et rivières', price: 1200, perPax: true, days: 5, hours: 0, currency: 'USD' },
  { kind: 'fit', en: 'Tuscan Countryside Escape', fr: 'Escapade dans la campagne toscane', price: 640, perPax: true, days: 2, hours: 0, currency: 'EUR' },
  { kind: 'fit', en: 'Loire Castles Weekend', fr: 'Week-end châteaux de la Loire', price: 720, perPax: true, days: 2, hours: 0, currency: 'EUR' },
  { kind: 'sic', en: 'Group Adventure Package', fr: 'Forfait aventure en groupe', price: 450, perPax: true, days: 3, hours: 0, currency: 'USD' },
  { kind: 'sic', en: 'Coastal Highway Group Tour', fr: 'Circuit en groupe sur la route côtière', price: 390, perPax: true, days: 2, hours: 0, currency: 'USD' },
  { kind: 'sic', en: 'Montmartre Artists Group Walk', fr: 'Balade en groupe des artistes de Montmartre', price: 60, perPax: true, days: 1, hours: 0, currency: 'EUR' },
  { kind: 'series', en: 'Weekly Explorer Series', fr: 'Série Explorateur hebdomadaire', price: 320, perPax: true, days: 2, hours: 0, currency: 'EUR' },
  { kind: 'series', en: 'Monthly Food Trail Series', fr: 'Série mensuelle route gourmande', price: 210, perPax: true, days: 1, hours: 0, currency: 'EUR' },
  { kind: 'series', en: 'Island Hopping Series', fr: 'Série tour des îles', price: 540, perPax: true, days: 3, hours: 0, currency: 'USD' },
  { kind: 'activity', en: 'Historic City Walking Tour', fr: 'Visite à pied de la ville historique', price: 150, perPax: false, days: 0, hours: 3, currency: 'USD' },
  { kind: 'activity', en: 'Floating Market Morning', fr: 'Matinée au marché flottant', price: 45, perPax: true, days: 0, hours: 5, currency: 'USD' },
  { kind: 'activity', en: 'Colosseum Underground Visit', fr: 'Visite des souterrains du Colisée', price: 75, perPax: true, days: 0, hours: 2, currency: 'EUR' },
  { kind: 'activity', en: 'Golden Gate Bike Ride', fr: 'Balade à vélo au Golden Gate', price: 65, perPax: true, days: 0, hours: 4, currency: 'USD' },
  { kind: 'activity', en: 'Seine River Cruise', fr: 'Croisière sur la Seine', price: 35, perPax: true, days: 0, hours: 1, currency: 'EUR' },
  { kind: 'activity', en: 'Thai Cooking Class', fr: 'Cours de cuisine thaïe', price: 55, perPax: true, days: 0, hours: 4, currency: 'USD' },
  { kind: 'extra', en: 'Premium Meal Package', fr: 'Forfait repas premium', price: 50, perPax: false, days: 1, hours: 0, currency: 'USD' },
  { kind: 'extra', en: 'Skip-the-line Museum Pass', fr: 'Pass musée coupe-file', price: 30, perPax: true, days: 1, hours: 0, currency: 'EUR' },
  { kind: 'extra', en: 'Travel Photographer Hour', fr: 'Une heure avec un photographe', price: 90, perPax: false, days: 0, hours: 1, currency: 'USD' },
  { kind: 'transfer', en: 'Airport to Hotel Transfer', fr: 'Transfert aéroport - hôtel', price: 100, perPax: false, days: 0, hours: 10, currency: 'USD' },
  { kind: 'transfer', en: 'Rome Termini Private Car', fr: 'Voiture privée gare Termini', price: 80, perPax: false, days: 0, hours: 1, currency: 'EUR' },
  { kind: 'transfer', en: 'Bay Ferry Crossing', fr: 'Traversée de la baie en ferry', price: 25, perPax: true, days: 0, hours: 1, currency: 'USD' },
  { kind: 'transfer', en: 'Paris Night Train Connection', fr: 'Correspondance train de nuit Paris', price: 140, perPax: true, days: 1, hours: 0, currency: 'EUR' },
  { kind: 'fit', en: 'Chiang Mai Hill Tribes Trek', fr: 'Randonnée tribus des collines de Chiang Mai', price: 480, perPax: true, days: 3, hours: 0, currency: 'USD' },
];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const MASKS = [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 1], [1, 0, 1, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1, 0]];

function periods(t: Template, i: number, today: string): Record<string, unknown>[] {
  if (t.kind === 'sic' || t.kind === 'series') {
    const step = t.kind === 'sic' ? 14 : 7;
    return [0, 1, 2, 3].map((n) => ({
      id: `period-${i}-${n}`,
      startAt: addDays(today, 10 + n * step + i),
      endAt: addDays(today, 10 + n * step + i + t.days - 1),
      allotments: 8 + (i % 5),
      allotmentsUsed: n === 0 ? 2 : 0,
      minPax: 1,
      maxPax: 12,
      minPaxForDeparture: 4,
      perPax: t.perPax,
      price: t.price,
      state: n === 3 && i % 2 === 0 ? 'stop_sale' : 'free_sale',
      adultPax: [{ price: t.price, paxRange: [1, 3] }, { price: Math.round(t.price * 0.85), paxRange: [4, 12] }],
      childrenPax: [{ price: Math.round(t.price / 2), ageRange: [6, 12] }],
    }));
  }
  const onRequest = t.kind === 'fit' && i % 2 === 0;
  return [
    {
      id: `period-${i}-0`,
      startAt: addDays(today, 1),
      endAt: addDays(today, 90),
      availableDays: MASKS[i % MASKS.length],
      state: onRequest ? 'on_request' : 'free_sale',
      perPax: t.perPax,
      price: t.price,
      minPax: 1,
      maxPax: t.perPax ? 8 : 4,
      allotments: t.kind === 'activity' ? 20 : 0,
      allotmentsUsed: 0,
      adultPax: t.perPax ? [{ price: t.price, paxRange: [1, 2] }, { price: Math.round(t.price * 0.8), paxRange: [3, 8] }] : [],
      childrenPax: t.perPax ? [{ price: Math.round(t.price / 2), ageRange: [5, 12] }] : [],
    },
    {
      id: `period-${i}-1`,
      startAt: addDays(today, 91),
      endAt: addDays(today, 180),
      availableDays: MASKS[(i + 1) % MASKS.length],
      state: 'free_sale',
      perPax: t.perPax,
      price: Math.round(t.price * 1.1),
      minPax: 1,
      maxPax: t.perPax ? 8 : 4,
      allotments: 0,
      allotmentsUsed: 0,
    },
  ];
}

/** A stored KOOB experience with its French translation beside the English default. */
export interface DemoExperience {
  record: Record<string, unknown>;
  translations: Record<string, Record<string, unknown>>;
}

/** Builds the demo catalog for the KOOB simulator (ids "4100", "4101", …). */
export function demoCatalog(today: string = new Date().toISOString().slice(0, 10)): DemoExperience[] {
  return TEMPLATES.map((t, i) => {
    const city = CITIES[i % CITIES.length]!;
    const type = t.kind === 'transfer' ? 'Transfer' : t.kind === 'activity' || t.kind === 'extra' ? 'Activity' : 'Program';
    const position = { id: `pos-${i}`, name: `${city.title} meeting point`, address: `${10 + i} Main Street`, city: city.title, country: city.country, lat: city.lat, lon: city.lon, isCity: false };
    const record: Record<string, unknown> = {
      id: String(4100 + i),
      name: t.en,
      summary: `${t.en} in ${city.title}`,
      state: 'available',
      type,
      pricingType: t.kind === 'sic' || t.kind === 'series' ? t.kind : 'fit',
      description: `<p>${t.en}: a ${type.toLowerCase()} in ${city.title} &amp; surroundings.</p>`,
      dmcReference: `DEMO-${t.kind.toUpperCase()}-${String(i + 1).padStart(3, '0')}`,
      organizationId: 'org-demo',
      organizationName: 'Demo DMC',
      currency: t.currency,
      durationDays: t.days,
      durationHours: t.hours,
      durationMinutes: 0,
      inCity: { id: city.id, title: city.title, lat: city.lat, lon: city.lon, code: city.code, country: { id: `country-${city.alpha2}`, alpha2: city.alpha2, title: city.country } },
      startPosition: position,
      endPosition: position,
      includedServices: '<p>Professional guide</p><p>Entrance fees</p>',
      excludedServices: '<p>Tips</p><p>Travel insurance</p>',
      cancellationPolicies: '<p>Free cancellation up to 24 hours before the start.</p>',
      hasToRequest: false,
      guiding: true,
      guidingLanguages: ['English', 'French'],
      activity: type === 'Activity' ? { guiding: false, guidingLanguages: [], isExtra: t.kind === 'extra' } : undefined,
      transfer: type === 'Transfer' ? { type: i % 2 ? 'LAND' : 'RAIL', departureTime: null, arrivalTime: null, time: null } : undefined,
      periods: periods(t, i, today),
      programs: [],
      extras: [],
      pictures: [],
      themes: [],
    };
    return {
      record,
      translations: {
        fr: {
          name: t.fr,
          summary: `${t.fr} à ${city.title}`,
          description: `<p>${t.fr} : une expérience à ${city.title}.</p>`,
          includedServices: '<p>Guide professionnel</p><p>Droits d’entrée</p>',
          excludedServices: '<p>Pourboires</p><p>Assurance voyage</p>',
          cancellationPolicies: '<p>Annulation gratuite jusqu’à 24 heures avant le départ.</p>',
        },
      },
    };
  });
}
