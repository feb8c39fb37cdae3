/** Public API of the connections feature (OAuth connect/disconnect, tokens, the Connection record). */
export { ConnectionService } from './connectionService';
export { NotConnectedError, isInvalidGrant, isNotConnected } from './errors';
export { connectionRoutes, type ConnectionRoutesDeps } from './routes';
export { TokenCipher } from './tokenCipher';
export type { ConnectionsConfig, ConnectionsDeps, OrgConnections } from './types';
