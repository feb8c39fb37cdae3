// autocannon 8 ships no types; the bench uses it through lib.ts's `load()` only.
declare module 'autocannon';
