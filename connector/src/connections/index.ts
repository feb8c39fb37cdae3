/** Public API of the connections feature (OAuth connect/disconnect, tokens, metadata mirroring). */
export { ConnectionService } from './connectionService';
export { NotConnectedError, isInvalidGrant, isNotConnected } from './errors';
export { connectionRoutes, type ConnectionRoutesDeps } from './routes';
export { TokenCipher } from './tokenCipher';
export { MetadataWriteError, interactionDeveloperName } from './metadataMirror';
export type { ConnectionsConfig, ConnectionsDeps } from './types';
