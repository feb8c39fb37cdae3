import { namespacePrefix, type CustomMetadataRecord } from '../salesforce/customMetadata';

/** The org's `CredSpark_Connection.Default` record (SPEC §3): who is connected, and since when. */
export function connectionRecord(
  ns: string,
  v: { accountId: string; status: 'Connected' | 'Disconnected'; username: string; connectedAt: Date },
): CustomMetadataRecord {
  const p = namespacePrefix(ns);
  return {
    fullName: `${p}CredSpark_Connection.Default`,
    label: 'Default',
    values: [
      { field: `${p}Account_Id__c`, value: v.accountId, xsiType: 'xsd:string' },
      { field: `${p}Status__c`, value: v.status, xsiType: 'xsd:string' },
      { field: `${p}Connected_User__c`, value: v.username, xsiType: 'xsd:string' },
      { field: `${p}Connected_At__c`, value: v.connectedAt.toISOString(), xsiType: 'xsd:dateTime' },
    ],
  };
}
