// Preview-only @salesforce/apex/CredSparkSetupController.saveSyncRule: returns the deployment id;
// the outcome arrives later as a CredSpark_Deployment__e event through lightning/empApi.
import { apexMethod } from './apexClient';

export default apexMethod('saveSyncRule');
