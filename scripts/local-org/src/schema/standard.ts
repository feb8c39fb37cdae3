// Standard objects the connector touches: Contact, Lead (with a few custom fields an admin might
// map), Account (created by Lead conversion), Campaign, CampaignMemberStatus, CampaignMember and
// User (the connector reads the connected user's Username).
// Fields and properties from the Object Reference for the Salesforce Platform (each object's page).
import { f, ro, systemFields, type FieldDef, type ObjectSpec } from './types';

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other', 'CredSpark'];
const INDUSTRIES = ['Agriculture', 'Banking', 'Education', 'Finance', 'Healthcare', 'Technology', 'Other'];
const INTERESTS = ['Pricing', 'Demo', 'Integrations', 'Support'];

function personFields(): FieldDef[] {
  return [
    f('Salutation', 'Salutation', 'picklist', { length: 40, values: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] }),
    f('FirstName', 'First Name', 'string', { length: 40 }),
    f('LastName', 'Last Name', 'string', { length: 80, nillable: false, required: true }),
    f('Name', 'Full Name', 'string', { length: 121, nillable: false, ...ro }),
    f('Email', 'Email', 'email'),
    f('Phone', 'Phone', 'phone'),
    f('MobilePhone', 'Mobile Phone', 'phone'),
    f('Title', 'Title', 'string', { length: 128 }),
    f('LeadSource', 'Lead Source', 'picklist', { values: LEAD_SOURCES }),
    f('Description', 'Description', 'textarea'),
    f('HasOptedOutOfEmail', 'Email Opt Out', 'boolean', { nillable: false, defaultedOnCreate: true }),
    f('Quiz_Score__c', 'Quiz Score', 'double', { precision: 18, scale: 2 }),
    f('Interests__c', 'Interests', 'multipicklist', { values: INTERESTS }),
    f('Last_Quiz_Date__c', 'Last Quiz Date', 'date'),
    f('Webinar_Attended__c', 'Webinar Attended', 'boolean', { nillable: false, defaultedOnCreate: true }),
  ];
}

/** Fields a Lead conversion copies to the new Contact (Salesforce Help "Map Custom Lead Fields for Lead
 *  Conversion": standard fields map by themselves; the custom fields here share their API names). */
export const CONVERTED_PERSON_FIELDS = personFields()
  .filter((x) => x.createable && x.name !== 'Name')
  .map((x) => x.name);

function contact(): ObjectSpec {
  return {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    custom: false,
    isMetadata: false,
    fields: [
      ...systemFields({ owner: true }),
      ...personFields(),
      f('AccountId', 'Account ID', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }),
      f('Department', 'Department', 'string', { length: 80 }),
      f('Birthdate', 'Birthdate', 'date'),
    ],
  };
}

function lead(): ObjectSpec {
  const conv = { ...ro, defaultedOnCreate: false };
  return {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    custom: false,
    isMetadata: false,
    fields: [
      ...systemFields({ owner: true }),
      ...personFields(),
      f('Company', 'Company', 'string', { length: 255, nillable: false, required: true }),
      f('Status', 'Lead Status', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        restrictedPicklist: true,
        values: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
        defaultValue: 'Open - Not Contacted',
      }),
      f('IsConverted', 'Converted', 'boolean', { nillable: false, ...ro, defaultedOnCreate: true }),
      f('ConvertedDate', 'Converted Date', 'date', conv),
      f('ConvertedAccountId', 'Converted Account ID', 'reference', {
        ...conv,
        referenceTo: ['Account'],
        relationshipName: 'ConvertedAccount',
      }),
      f('ConvertedContactId', 'Converted Contact ID', 'reference', {
        ...conv,
        referenceTo: ['Contact'],
        relationshipName: 'ConvertedContact',
      }),
      f('ConvertedOpportunityId', 'Converted Opportunity ID', 'reference', {
        ...conv,
        referenceTo: ['Opportunity'],
        relationshipName: 'ConvertedOpportunity',
      }),
      f('Industry', 'Industry', 'picklist', { length: 255, values: INDUSTRIES }),
      f('NumberOfEmployees', 'Employees', 'int', { precision: 8 }),
      f('AnnualRevenue', 'Annual Revenue', 'currency'),
      f('Website', 'Website', 'url'),
      f('Rating', 'Rating', 'picklist', { values: ['Hot', 'Warm', 'Cold'] }),
    ],
  };
}

function account(): ObjectSpec {
  return {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    custom: false,
    isMetadata: false,
    fields: [
      ...systemFields({ owner: true }),
      f('Name', 'Account Name', 'string', { length: 255, nillable: false, required: true }),
      f('Website', 'Website', 'url'),
      f('Industry', 'Industry', 'picklist', { length: 255, values: INDUSTRIES }),
      f('Description', 'Account Description', 'textarea'),
    ],
  };
}

/** Campaign (Object Reference "Campaign"): IsActive defaults to false; Status is a picklist. */
function campaign(): ObjectSpec {
  return {
    name: 'Campaign',
    label: 'Campaign',
    labelPlural: 'Campaigns',
    keyPrefix: '701',
    custom: false,
    isMetadata: false,
    fields: [
      ...systemFields({ owner: true }),
      f('Name', 'Name', 'string', { length: 80, nillable: false, required: true }),
      f('IsActive', 'Active', 'boolean', { nillable: false, defaultedOnCreate: true }),
      f('Type', 'Type', 'picklist', {
        length: 255,
        values: [
          'Conference',
          'Webinar',
          'Trade Show',
          'Public Relations',
          'Partners',
          'Referral Program',
          'Advertisement',
          'Banner Ads',
          'Direct Mail',
          'Email',
          'Telemarketing',
          'Other',
        ],
      }),
      f('Status', 'Status', 'picklist', {
        length: 255,
        values: ['Planned', 'In Progress', 'Completed', 'Aborted'],
      }),
      f('StartDate', 'Start Date', 'date'),
      f('EndDate', 'End Date', 'date'),
      f('Description', 'Description', 'textarea'),
      f('NumberOfContacts', 'Total Contacts', 'int', { precision: 9, ...ro }),
      f('NumberOfLeads', 'Leads in Campaign', 'int', { precision: 9, ...ro }),
      f('NumberOfResponses', 'Responses in Campaign', 'int', { precision: 9, ...ro }),
    ],
  };
}

/**
 * CampaignMemberStatus (Object Reference "CampaignMemberStatus"): the current reference lists only
 * describe, query and retrieve among its supported calls, so the local org serves it read-only and
 * creates statuses itself (two defaults per new campaign, more through the control API).
 */
function campaignMemberStatus(): ObjectSpec {
  return {
    name: 'CampaignMemberStatus',
    label: 'Campaign Member Status',
    labelPlural: 'Campaign Member Statuses',
    keyPrefix: '01Y',
    custom: false,
    isMetadata: false,
    readOnly: true,
    fields: [
      ...systemFields({ owner: false }),
      f('CampaignId', 'Campaign ID', 'reference', { ...ro, referenceTo: ['Campaign'], relationshipName: 'Campaign' }),
      f('Label', 'Member Status', 'string', { length: 765, ...ro }),
      f('IsDefault', 'Is Default', 'boolean', { nillable: false, defaultedOnCreate: true, ...ro }),
      f('HasResponded', 'Responded', 'boolean', { nillable: false, defaultedOnCreate: true, ...ro }),
      f('SortOrder', 'Sort Order', 'int', { precision: 9, ...ro }),
    ],
  };
}

/**
 * CampaignMember (Object Reference "CampaignMember"): CampaignId required; ContactId or LeadId,
 * set on create only; Status (40 characters) drives the read-only HasResponded.
 */
function campaignMember(): ObjectSpec {
  const createOnly = { createable: true, updateable: false };
  return {
    name: 'CampaignMember',
    label: 'Campaign Member',
    labelPlural: 'Campaign Members',
    keyPrefix: '00v',
    custom: false,
    isMetadata: false,
    fields: [
      ...systemFields({ owner: false }),
      f('CampaignId', 'Campaign ID', 'reference', {
        ...createOnly,
        nillable: false,
        required: true,
        referenceTo: ['Campaign'],
        relationshipName: 'Campaign',
      }),
      f('ContactId', 'Contact ID', 'reference', {
        ...createOnly,
        referenceTo: ['Contact'],
        relationshipName: 'Contact',
      }),
      f('LeadId', 'Lead ID', 'reference', { ...createOnly, referenceTo: ['Lead'], relationshipName: 'Lead' }),
      f('Status', 'Status', 'picklist', { length: 40 }),
      f('HasResponded', 'Responded', 'boolean', { nillable: false, defaultedOnCreate: true, ...ro }),
      f('FirstRespondedDate', 'First Responded Date', 'date', ro),
    ],
  };
}

/**
 * User (Object Reference "User": "Represents a user in your organization"; Name is FirstName and
 * LastName, at most 121 characters; Username is unique). Salesforce lets users with Manage Internal
 * Users create and update users (never delete them); the local org does not emulate user management:
 * its users are the ones the OAuth flow logs in as (one per org, `rules/users.ts`), served read-only
 * like CampaignMemberStatus. No IsDeleted (users are deactivated, not deleted), no OwnerId; ProfileId,
 * Alias, the locale and time-zone keys are left out (no Profile object here).
 */
function user(): ObjectSpec {
  return {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    custom: false,
    isMetadata: false,
    readOnly: true,
    fields: [
      ...systemFields({ owner: false }).filter((x) => x.name !== 'IsDeleted'),
      f('Username', 'Username', 'string', { length: 80, nillable: false, unique: true, ...ro }),
      f('FirstName', 'First Name', 'string', { length: 40, ...ro }),
      f('LastName', 'Last Name', 'string', { length: 80, nillable: false, ...ro }),
      f('Name', 'Full Name', 'string', { length: 121, nillable: false, ...ro }),
      f('Email', 'Email', 'email', { length: 128, nillable: false, ...ro }),
      f('IsActive', 'Active', 'boolean', { nillable: false, defaultedOnCreate: true, ...ro }),
    ],
  };
}

export function standardObjects(): ObjectSpec[] {
  return [contact(), lead(), account(), campaign(), campaignMemberStatus(), campaignMember(), user()];
}
