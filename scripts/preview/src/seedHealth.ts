// Demo data for the Sync health view and the matching options, written with the demo seed (a fresh
// org only): campaigns with member statuses (the local org gives every campaign "Sent" and
// "Responded", as Salesforce does), a Lead with CredSpark responses (synced and failed, as the
// connector records them: SPEC §3b) and today's CredSpark_Usage__c row. A local-mode run writes the
// same objects for real.
import { control, type OrgTarget } from './orgClient';

const HOUR = 3600_000;

export async function seedSyncHealth(target: OrgTarget, now = new Date()): Promise<{ leadId: string }> {
  const ns = target.namespace ? `${target.namespace}__` : '';
  const org = `/__local/orgs/${target.orgId}`;
  const post = <T>(path: string, body: unknown) => control<T>(target.url, 'POST', `${org}${path}`, body);
  await post('/campaigns', {
    name: 'Q4 Webinar',
    isActive: true,
    status: 'In Progress',
    memberStatuses: [{ label: 'Registered' }, { label: 'Attended', hasResponded: true }],
  });
  await post('/campaigns', { name: 'Spring Fair 2027', isActive: true, status: 'Planned' });
  await post('/campaigns', { name: 'Q3 Webinar (closed)', isActive: false, status: 'Completed' });
  const {
    ids: [leadId],
  } = await post<{ ids: string[] }>('/records/Lead', [
    { FirstName: 'Jane', LastName: 'Doe', Company: 'Acme', Email: 'jane@example.com', LeadSource: 'Web' },
  ]);
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR).toISOString();
  const response = (n: number, interaction: string, hoursAgo: number, outcome: Record<string, unknown>) => ({
    [`${ns}Response_Id__c`]: `resp_demo_${n}`,
    [`${ns}Interaction_Id__c`]: interaction === 'Q4 Webinar Quiz' ? 'int_q4_webinar' : 'int_product_fit',
    [`${ns}Interaction_Name__c`]: interaction,
    [`${ns}Completed_At__c`]: at(hoursAgo + 0.02),
    [`${ns}Attempts__c`]: 1,
    [`${ns}Last_Attempt_At__c`]: at(hoursAgo),
    [`${ns}Retry_Requested__c`]: false,
    ...Object.fromEntries(Object.entries(outcome).map(([k, v]) => [`${ns}${k}`, v])),
  });
  const failed = (code: string, message: string, target: string) => ({
    Status__c: 'Failed',
    Error_Code__c: code,
    Error_Message__c: message,
    Target_Object__c: target,
  });
  await post(`/records/${ns}CredSpark_Response__c`, [
    response(1, 'Q4 Webinar Quiz', 30, {
      Status__c: 'Synced',
      Action__c: 'Created',
      Target_Object__c: 'Lead',
      Lead__c: leadId,
      Score__c: 72,
    }),
    response(2, 'Product Fit Survey', 5, {
      Status__c: 'Synced',
      Action__c: 'Updated',
      Target_Object__c: 'Lead',
      Lead__c: leadId,
      Score__c: 88.5,
    }),
    response(
      3,
      'Q4 Webinar Quiz',
      2,
      failed('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Company]', 'Lead'),
    ),
    response(
      4,
      'Q4 Webinar Quiz',
      1.5,
      failed('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Company]', 'Lead'),
    ),
    response(
      5,
      'Product Fit Survey',
      1,
      failed('INVALID_EMAIL_ADDRESS', 'Email: invalid email address: sam@example', 'Contact'),
    ),
    response(6, 'Q4 Webinar Quiz', 50, failed('DUPLICATES_DETECTED', 'Use one of these records?', 'Lead')),
  ]);
  const day = now.toISOString().slice(0, 10);
  await post(`/records/${ns}CredSpark_Usage__c`, [
    {
      [`${ns}Day_Key__c`]: day,
      [`${ns}Day__c`]: day,
      // A handful: the connector's calls are part of the org's own usage shown beside them.
      [`${ns}API_Calls__c`]: 6,
      [`${ns}Synced__c`]: 1,
      [`${ns}Failed__c`]: 3,
    },
  ]);
  return { leadId };
}
