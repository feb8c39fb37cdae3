import fc from 'fast-check';
import { connectionRecord } from '../../src/connections/connectionRecord';
import { fitFieldsJson, interactionDeveloperName, interactionRecord } from '../../src/mirror/interactionRecord';
import { truncateLabel } from '../../src/salesforce/customMetadata';

/** Salesforce API-name rules (Metadata API Developer Guide, "CustomMetadata": DeveloperName). */
function isValidDeveloperName(name: string): boolean {
  return name.length <= 40 && /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !name.includes('__') && !name.endsWith('_');
}

describe('interactionDeveloperName', () => {
  it('always follows the API-name rules (≤ 40, letters/digits/_, starts with a letter, no __, no trailing _)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (id) =>
        isValidDeveloperName(interactionDeveloperName(id)),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it('is stable and readable for ordinary ids', () => {
    const name = interactionDeveloperName('int_q4_webinar');
    expect(name).toMatch(/^int_q4_webinar_[0-9a-f]{10}$/);
    expect(interactionDeveloperName('int_q4_webinar')).toBe(name);
  });

  it('keeps ids apart that sanitise alike (a-b, a_b, a__b, a.b) and ids that share a long prefix', () => {
    const ids = ['a-b', 'a_b', 'a__b', 'a.b', 'A-B', 'x'.repeat(60) + '1', 'x'.repeat(60) + '2', '123', '_123', ''];
    const names = ids.map(interactionDeveloperName);
    expect(new Set(names).size).toBe(ids.length);
  });

  it('distinct ids give distinct names (property, case-insensitively as Salesforce compares them)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 50 }), { minLength: 2, maxLength: 50 }), (ids) => {
        const names = ids.map((id) => interactionDeveloperName(id).toLowerCase());
        return new Set(names).size === ids.length;
      }),
    );
  });
});

describe('custom metadata records', () => {
  it('Connection record: fullName and fields carry the namespace prefix (SPEC §3)', () => {
    const r = connectionRecord('credspark', {
      accountId: 'acc_42',
      status: 'Connected',
      username: 'admin@acme.local',
      connectedAt: new Date('2026-11-28T19:00:00Z'),
    });
    expect(r.fullName).toBe('credspark__CredSpark_Connection.Default');
    expect(r.values).toEqual([
      { field: 'credspark__Account_Id__c', value: 'acc_42', xsiType: 'xsd:string' },
      { field: 'credspark__Status__c', value: 'Connected', xsiType: 'xsd:string' },
      { field: 'credspark__Connected_User__c', value: 'admin@acme.local', xsiType: 'xsd:string' },
      { field: 'credspark__Connected_At__c', value: '2026-11-28T19:00:00.000Z', xsiType: 'xsd:dateTime' },
    ]);
  });

  it('an unpackaged org (SF_NAMESPACE empty) gets no prefix', () => {
    const r = interactionRecord('', { interactionId: 'int_1', name: 'Quiz', fieldsJson: '[]' });
    expect(r.fullName).toMatch(/^CredSpark_Interaction\.int_1_[0-9a-f]{10}$/);
    expect(r.values.map((v) => v.field)).toEqual(['Interaction_Id__c', 'Fields__c']);
  });

  it('Interaction label = interaction name, truncated to 40 characters without splitting emoji', () => {
    const name = 'Q4 Webinar Quiz — what did you learn? 🎉🎉🎉 and more';
    const r = interactionRecord('credspark', { interactionId: 'int_1', name, fieldsJson: '[]' });
    expect(Array.from(r.label)).toHaveLength(40);
    expect(name.startsWith(r.label)).toBe(true);
    expect(truncateLabel('🎉'.repeat(45))).toBe('🎉'.repeat(40));
  });
});

describe('fitFieldsJson: Fields__c is a LongTextArea(32768) (package field definition)', () => {
  const field = fc.record({
    key: fc.string({ minLength: 1, maxLength: 255 }),
    label: fc.string({ maxLength: 1000 }),
    type: fc.constantFrom('text', 'email', 'number'),
  });
  it('always a JSON array within the limit whose fields are a prefix of the input (labels clipped at most)', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 1000 }), fc.integer({ min: 200, max: 40_000 }), (fields, max) => {
        const out = fitFieldsJson(JSON.stringify(fields), max);
        const parsed = JSON.parse(out) as { key: string; label: string }[];
        return (
          out.length <= max &&
          Array.isArray(parsed) &&
          parsed.every((f, i) => f.key === fields[i]!.key && fields[i]!.label.startsWith(f.label))
        );
      }),
      { numRuns: 200 },
    );
  });
  it('U+FFFE/U+FFFF (which JSON.stringify leaves raw, XML 1.0 forbids) are written as JSON escapes', () => {
    const json = JSON.stringify([{ key: 'k', label: 'a\uFFFEb', type: 'text' }]);
    const out = fitFieldsJson(json);
    expect(out).toBe('[{"key":"k","label":"a\\ufffeb","type":"text"}]');
    expect(JSON.parse(out)).toEqual(JSON.parse(json));
  });
  it('leaves a JSON that fits untouched; keeps every field when clipping labels is enough', () => {
    const small = JSON.stringify([{ key: 'email', label: 'Email', type: 'email' }]);
    expect(fitFieldsJson(small)).toBe(small);
    const many = Array.from({ length: 100 }, (_, i) => ({ key: `q${i}`, label: 'L'.repeat(1000), type: 'text' }));
    const out = JSON.parse(fitFieldsJson(JSON.stringify(many))) as { key: string; label: string }[];
    expect(out).toHaveLength(100);
    expect(out[99]).toEqual({ key: 'q99', label: 'L'.repeat(100), type: 'text' });
  });
});
