import { fromRule, campaignErrors, toMatchingInput, format, appliesConvertedLead } from 'c/credsparkMatching';

const DETAIL = {
    campaign: { id: '701000000000001AAA', name: 'Q4 Webinar' },
    isActive: true,
    statuses: [
        { label: 'Sent', isDefault: true },
        { label: 'Attended', isDefault: false }
    ]
};

describe('c-credspark-matching', () => {
    it('a new rule starts with the SPEC §3 defaults: Fail, New_Lead, no campaign', () => {
        expect(fromRule(null)).toEqual({
            duplicateHandling: 'Fail',
            convertedLead: 'New_Lead',
            campaignId: null,
            campaignStatus: null
        });
        expect(fromRule({ duplicateHandling: 'Update_Match', campaignId: '701000000000001AAA' })).toMatchObject({
            duplicateHandling: 'Update_Match',
            convertedLead: 'New_Lead',
            campaignId: '701000000000001AAA'
        });
    });

    it('the converted-Lead option applies to Lead rules only', () => {
        expect(appliesConvertedLead('Lead')).toBe(true);
        expect(appliesConvertedLead('Contact')).toBe(false);
        const input = toMatchingInput('Contact', { ...fromRule(null), convertedLead: 'Update_Contact' });
        expect(input.convertedLead).toBeNull();
    });

    it('sends no member status without a campaign', () => {
        expect(toMatchingInput('Lead', { ...fromRule(null), campaignStatus: 'Attended' })).toEqual({
            duplicateHandling: 'Fail',
            convertedLead: 'New_Lead',
            campaignId: null,
            campaignStatus: null
        });
    });

    it('accepts an active campaign with one of its statuses, and says nothing while loading', () => {
        expect(campaignErrors('701000000000001AAA', 'Attended', DETAIL)).toEqual([]);
        expect(campaignErrors('701000000000001AAA', 'Attended', undefined)).toEqual([]);
        expect(campaignErrors(null, null, undefined)).toEqual([]);
    });

    it('names inactive, missing and malformed campaigns and unknown statuses in the Apex words', () => {
        expect(campaignErrors('701000000000001AAA', 'attended', { ...DETAIL, isActive: false })).toEqual([
            'Q4 Webinar is not active. Choose an active campaign, or none.',
            'attended is not a member status of Q4 Webinar. Choose one of its member statuses.'
        ]);
        expect(campaignErrors('701000000000001AAA', null, null)).toEqual([
            'The campaign does not exist, or you cannot see it. Choose another campaign.'
        ]);
        expect(campaignErrors('001000000000001AAA', null, DETAIL)).toEqual([
            'The campaign is not a valid Campaign Id. Choose the campaign again.'
        ]);
        expect(campaignErrors(null, 'Attended', undefined)).toEqual(['Choose a campaign for the member status.']);
    });

    it('format fills placeholders by position', () => {
        expect(format('{1} then {0}', 'a', 'b')).toBe('b then a');
    });
});
