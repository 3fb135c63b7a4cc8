// The OpenID Connect discovery document and JWKS for callback JWTs (reference §6.1). Anonymous, like the real ones.
import type { JwtIssuer } from '../auth/jwtIssuer.js';
import { jsonResponse, type EmulatorResponse } from '../pipeline/EmulatorResponse.js';
import type { RequestContext } from '../pipeline/RequestContext.js';

export class OpenIdHandler {
  constructor(
    private readonly jwt: JwtIssuer,
    private readonly jwksUrl: () => string,
  ) {}

  handle(ctx: RequestContext): EmulatorResponse {
    if (ctx.route.operation === 'jwks') return jsonResponse(200, this.jwt.jwks());
    return jsonResponse(200, {
      issuer: this.jwt.issuer,
      jwks_uri: this.jwksUrl(),
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      claims_supported: ['iss', 'aud', 'exp', 'iat', 'nbf'],
    });
  }
}
