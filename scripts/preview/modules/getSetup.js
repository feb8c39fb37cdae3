// Preview-only @salesforce/apex/CredSparkSetupController.getSetup (cacheable: usable with @wire).
import { apexMethod } from './apexClient';

export default apexMethod('getSetup');
