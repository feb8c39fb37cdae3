// Demo data for the preview, written only when the org has no CredSpark metadata yet: the
// connection record (as the connector writes it after OAuth) and two interactions.
import { control, type OrgTarget } from './orgClient';

const FIELDS_Q4 = [
  { key: 'first_name', label: 'First Name', type: 'first_name' },
  { key: 'last_name', label: 'Last Name', type: 'last_name' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'q7', label: 'Company', type: 'text' },
  { key: 'q8', label: 'Interests', type: 'multiple_choice' },
  { key: 'q9', label: 'Team size', type: 'number' },
];
const FIELDS_SURVEY = [
  { key: 'first_name', label: 'First Name', type: 'first_name' },
  { key: 'last_name', label: 'Last Name', type: 'last_name' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'phone', label: 'Phone', type: 'phone' },
  { key: 'fit', label: 'How well does the product fit?', type: 'single_choice' },
];

export const DEMO_INTERACTIONS = [
  { developerName: 'int_q4_webinar', label: 'Q4 Webinar Quiz', interactionId: 'int_q4_webinar', fields: FIELDS_Q4 },
  {
    developerName: 'int_product_fit',
    label: 'Product Fit Survey',
    interactionId: 'int_product_fit',
    fields: FIELDS_SURVEY,
  },
];

/** Seeds the demo records unless the org already has a connection or interactions. */
export async function seedDemo(target: OrgTarget): Promise<boolean> {
  const ns = target.namespace ? `${target.namespace}__` : '';
  const base = `/__local/orgs/${target.orgId}/records`;
  const [conns, ints] = await Promise.all([
    control<{ records: unknown[] }>(target.url, 'GET', `${base}/${ns}CredSpark_Connection__mdt`),
    control<{ records: unknown[] }>(target.url, 'GET', `${base}/${ns}CredSpark_Interaction__mdt`),
  ]);
  if (conns.records.length > 0 || ints.records.length > 0) return false;
  await control(target.url, 'POST', `${base}/${ns}CredSpark_Connection__mdt`, [
    {
      DeveloperName: 'Default',
      MasterLabel: 'Default',
      [`${ns}Account_Id__c`]: 'acc_42',
      [`${ns}Status__c`]: 'Connected',
      [`${ns}Connected_User__c`]: target.username,
      [`${ns}Connected_At__c`]: new Date().toISOString(),
    },
  ]);
  await control(
    target.url,
    'POST',
    `${base}/${ns}CredSpark_Interaction__mdt`,
    DEMO_INTERACTIONS.map((i) => ({
      DeveloperName: i.developerName,
      MasterLabel: i.label,
      [`${ns}Interaction_Id__c`]: i.interactionId,
      [`${ns}Fields__c`]: JSON.stringify(i.fields),
    })),
  );
  return true;
}
