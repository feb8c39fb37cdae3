/**
 * Reduces one or more LDS / Apex errors into a string[] of messages (same contract as lwc-recipes'
 * ldsUtils): AuraHandledException bodies, UI API field and page errors, JS errors and strings.
 * @param {FetchResponse|FetchResponse[]|Error|string} errors
 * @return {String[]} error messages
 */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    return list
        .filter((error) => !!error)
        .map((error) => {
            if (Array.isArray(error.body)) {
                return error.body.map((e) => e.message);
            }
            if (error.body && error.body.pageErrors && error.body.pageErrors.length > 0) {
                return error.body.pageErrors.map((e) => e.message);
            }
            if (error.body && error.body.fieldErrors && Object.keys(error.body.fieldErrors).length > 0) {
                return Object.values(error.body.fieldErrors)
                    .flat()
                    .map((e) => e.message);
            }
            if (error.body && typeof error.body.message === 'string') {
                return error.body.message;
            }
            if (typeof error.message === 'string') {
                return error.message;
            }
            if (typeof error === 'string') {
                return error;
            }
            return error.statusText;
        })
        .flat()
        .filter((message) => !!message);
}
