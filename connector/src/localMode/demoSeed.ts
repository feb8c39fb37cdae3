import { interactionDeveloperName } from '../mirror/interactionRecord';
import { DEFAULT_MAPPINGS } from '../rules';

export const DEMO_ACCOUNT_ID = 'acc_demo';
export const DEMO_INTERACTION = { id: 'int_q4_webinar', name: 'Q4 Webinar Quiz' };
const DEMO_FIELDS = [
  { key: 'first_name', label: 'First Name', type: 'first_name' },
  { key: 'last_name', label: 'Last Name', type: 'last_name' },
  { key: 'email', label: 'Email', type: 'email' },
];

/**
 * Seeds the demo org with what an admin would set up in the package's LWC: the demo interaction,
 * an enabled Contact sync rule with the default mappings (SPEC §2), through the local org's
 * control endpoint (custom metadata cannot be written with REST DML, as in Salesforce).
 */
export async function seedDemoRule(orgUrl: string, orgId: string, namespace: string, enabledAt: Date): Promise<void> {
  const p = namespace ? `${namespace}__` : '';
  const interactionName = interactionDeveloperName(DEMO_INTERACTION.id);
  const ruleName = 'Q4_Webinar_Quiz_Rule';
  await post(orgUrl, orgId, `${p}CredSpark_Interaction__mdt`, [
    {
      DeveloperName: interactionName,
      MasterLabel: DEMO_INTERACTION.name,
      [`${p}Interaction_Id__c`]: DEMO_INTERACTION.id,
      [`${p}Fields__c`]: JSON.stringify(DEMO_FIELDS),
    },
  ]);
  await post(orgUrl, orgId, `${p}CredSpark_Sync_Rule__mdt`, [
    {
      DeveloperName: ruleName,
      MasterLabel: DEMO_INTERACTION.name,
      [`${p}Interaction__c`]: interactionName,
      [`${p}Enabled__c`]: true,
      [`${p}Target_Object__c`]: 'Contact',
      [`${p}Enabled_At__c`]: enabledAt.toISOString(),
    },
  ]);
  await post(
    orgUrl,
    orgId,
    `${p}CredSpark_Field_Mapping__mdt`,
    DEFAULT_MAPPINGS.map((m) => ({
      DeveloperName: `${ruleName}_${m.targetField}`,
      MasterLabel: `${m.sourceField} to ${m.targetField}`,
      [`${p}Sync_Rule__c`]: ruleName,
      [`${p}Source_Field__c`]: m.sourceField,
      [`${p}Target_Field__c`]: m.targetField,
    })),
  );
}

async function post(orgUrl: string, orgId: string, sobject: string, records: object[]): Promise<void> {
  const res = await fetch(`${orgUrl}/__local/orgs/${orgId}/records/${sobject}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(records),
  });
  if (!res.ok) throw new Error(`seeding ${sobject} answered ${res.status}: ${await res.text()}`);
}
