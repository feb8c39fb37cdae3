import { LightningElement, api } from 'lwc';

const percent = (used, max) => (max > 0 ? Math.min(100, Math.round((used / max) * 100)) : 0);
const number = (n) => Number(n || 0).toLocaleString('en-US');

/** Presentational: today's CredSpark API calls against the budget, and the org's own daily usage. */
export default class CredsparkApiUsage extends LightningElement {
    @api usage;

    get hasBudget() {
        return this.usage.dailyApiBudget > 0;
    }

    get budgetPercent() {
        return percent(this.usage.apiCallsToday, this.usage.dailyApiBudget);
    }

    get budgetText() {
        const calls = number(this.usage.apiCallsToday);
        return this.hasBudget
            ? `${calls} of ${number(this.usage.dailyApiBudget)} API calls today (${this.budgetPercent} %)`
            : `${calls} API calls today (no daily cap)`;
    }

    get hasOrgLimit() {
        return this.usage.orgApiMax > 0;
    }

    get orgPercent() {
        return percent(this.usage.orgApiUsed, this.usage.orgApiMax);
    }

    get orgText() {
        return `${number(this.usage.orgApiUsed)} of ${number(this.usage.orgApiMax)} daily API requests used (${this.orgPercent} %)`;
    }

    get orgNote() {
        return `CredSpark pauses syncing while the org is above ${this.usage.maxOrgApiUsagePercent} %.`;
    }

    get orgOverThreshold() {
        return this.orgPercent >= this.usage.maxOrgApiUsagePercent;
    }
}
