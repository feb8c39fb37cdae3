export * from './types';
export { buildCatalogue, describeObject, globalEntry } from './describe';
export { packageObjects, PACKAGE_OBJECTS_DIR } from './package';
export { CONVERTED_PERSON_FIELDS } from './standard';
