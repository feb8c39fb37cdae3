import { convertValue } from '../../src/sync/convert';
import type { FieldInfo } from '../../src/sync/describe';

const field = (type: string, extra: Partial<FieldInfo> = {}): FieldInfo => ({
  name: 'F__c',
  type,
  length: 0,
  createable: true,
  updateable: true,
  nillable: true,
  restrictedPicklist: false,
  picklistValues: [],
  ...extra,
});

describe('convertValue by describe type (SOAP API "Field Types")', () => {
  it('treats null, empty and blank strings and [] as unanswered', () => {
    for (const v of [null, undefined, '', '  ', []])
      expect(convertValue(field('string'), v)).toEqual({ ok: true, empty: true });
  });
  it('truncates text to the describe length and names the field in a warning (REST has no truncation header)', () => {
    expect(convertValue(field('string', { name: 'Title', length: 5 }), 'abcdefgh')).toEqual({
      ok: true,
      value: 'abcde',
      warning: 'Title truncated to 5 characters',
    });
    expect(convertValue(field('textarea', { length: 10 }), 'short')).toEqual({ ok: true, value: 'short' });
  });
  it('writes numbers into text fields as text', () => {
    expect(convertValue(field('string', { length: 10 }), 12)).toEqual({ ok: true, value: '12' });
  });
  it('matches a restricted picklist case-insensitively to its canonical value and refuses others', () => {
    const f = field('picklist', {
      name: 'Status',
      restrictedPicklist: true,
      picklistValues: ['Open - Not Contacted', 'Working'],
    });
    expect(convertValue(f, 'working')).toEqual({ ok: true, value: 'Working' });
    const bad = convertValue(f, 'Bogus');
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_FIELD_VALUE' });
    expect((bad as { message: string }).message).toContain('Status');
    expect((bad as { message: string }).message).toContain('"Bogus"');
  });
  it('lets an unrestricted picklist take new values', () => {
    expect(convertValue(field('picklist', { picklistValues: ['Web'] }), 'CredSpark')).toEqual({
      ok: true,
      value: 'CredSpark',
    });
  });
  it('joins multiple choices with ";" for a multipicklist', () => {
    const f = field('multipicklist', { picklistValues: ['Pricing', 'Demo'], restrictedPicklist: true });
    expect(convertValue(f, ['pricing', 'Demo'])).toEqual({ ok: true, value: 'Pricing;Demo' });
    expect(convertValue(f, ['Pricing', 'Nope'])).toMatchObject({ ok: false });
  });
  it('converts numbers, refusing text and fractions for int', () => {
    expect(convertValue(field('double'), '12.5')).toEqual({ ok: true, value: 12.5 });
    expect(convertValue(field('currency'), 3)).toEqual({ ok: true, value: 3 });
    expect(convertValue(field('int'), 12)).toEqual({ ok: true, value: 12 });
    expect(convertValue(field('int'), 1.5)).toMatchObject({ ok: false, code: 'INVALID_FIELD_VALUE' });
    expect(convertValue(field('percent'), 'twelve')).toMatchObject({ ok: false, code: 'INVALID_FIELD_VALUE' });
  });
  it('converts booleans from booleans and yes/no text', () => {
    expect(convertValue(field('boolean'), true)).toEqual({ ok: true, value: true });
    expect(convertValue(field('boolean'), 'No')).toEqual({ ok: true, value: false });
    expect(convertValue(field('boolean'), 'maybe')).toMatchObject({ ok: false });
  });
  it('converts dates and date-times (REST "Valid Date and DateTime Formats")', () => {
    expect(convertValue(field('date'), '2026-11-28')).toEqual({ ok: true, value: '2026-11-28' });
    expect(convertValue(field('date'), '2026-11-28T23:00:00-05:00')).toEqual({ ok: true, value: '2026-11-29' });
    expect(convertValue(field('date'), '2026-02-30')).toMatchObject({ ok: false });
    expect(convertValue(field('datetime'), '2026-11-28T19:00:00+01:00')).toEqual({
      ok: true,
      value: '2026-11-28T18:00:00.000Z',
    });
    expect(convertValue(field('datetime'), 'yesterday')).toMatchObject({ ok: false });
  });
});
