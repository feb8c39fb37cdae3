// Preview-only @salesforce/apex/CredSparkSetupController.getInteractionDetails (not cacheable, called imperatively
// by the mapping modal when it opens).
import { apexMethod } from './apexClient';

export default apexMethod('getInteractionDetails');
