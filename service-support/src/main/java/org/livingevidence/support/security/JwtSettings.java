package org.livingevidence.support.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTProcessor;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which JWTs are accepted ({@code evidence.security.jwt.*}). JWT authentication is off unless a signing secret
 * (HS256/384/512, at least 256 bits) or a JWKS URL (RS, PS and ES algorithms) is configured: there is no mode in which
 * an unsigned or unverifiable token is accepted. {@code exp} and {@code sub} are required; {@code nbf} is honoured;
 * {@code iss} and {@code aud} must match when configured. Checked at startup, so a short secret stops the service
 * with a message instead of weakening it.
 */
@Context
public class JwtSettings {

    /** 256 bits: what HS256 needs to be as strong as its hash (RFC 7518, 3.2). */
    static final int MIN_SECRET_BYTES = 32;
    static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    static final Set<JWSAlgorithm> PUBLIC_KEY = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Logger LOG = LoggerFactory.getLogger(JwtSettings.class);

    private final JWTProcessor<SecurityContext> processor;
    private final String rolesClaim;

    public JwtSettings(@Value("${evidence.security.jwt.secret:}") String secret,
                       @Value("${evidence.security.jwt.jwks-url:}") String jwksUrl,
                       @Value("${evidence.security.jwt.issuer:}") String issuer,
                       @Value("${evidence.security.jwt.audience:}") String audience,
                       @Value("${evidence.security.jwt.roles-claim:roles}") String rolesClaim) {
        this.rolesClaim = rolesClaim;
        List<JWSKeySelector<SecurityContext>> selectors = new ArrayList<>();
        if (!secret.isBlank()) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new IllegalStateException("evidence.security.jwt.secret (EVIDENCE_SECURITY_JWT_SECRET) has " + bytes.length * 8
                        + " bits; HMAC-signed JWTs need a secret of at least 256 bits (32 bytes). Generate one with: openssl rand -base64 48");
            }
            selectors.add(new JWSVerificationKeySelector<>(HMAC, new ImmutableSecret<>(bytes)));
        }
        if (!jwksUrl.isBlank()) {
            try {
                JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
                selectors.add(new JWSVerificationKeySelector<>(PUBLIC_KEY, keys));
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("evidence.security.jwt.jwks-url is not a URL: " + jwksUrl, e);
            }
        }
        if (selectors.isEmpty()) {
            this.processor = null;
            LOG.info("JWT authentication is off: set evidence.security.jwt.secret or evidence.security.jwt.jwks-url to accept JWTs");
            return;
        }
        ConfigurableJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        // Each selector answers only for its own algorithm family, so an HS256 token is never checked against a
        // public key (the classic algorithm-confusion attack) and "none" matches no selector at all.
        jwt.setJWSKeySelector((header, context) -> {
            List<Key> found = new ArrayList<>();
            for (JWSKeySelector<SecurityContext> selector : selectors) {
                try {
                    found.addAll(selector.selectJWSKeys(header, context));
                } catch (KeySourceException e) {
                    LOG.warn("could not load JWT verification keys: {}", e.getMessage());
                }
            }
            return found;
        });
        Set<String> required = new HashSet<>(Set.of("sub", "exp"));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!issuer.isBlank()) {
            exact.issuer(issuer);
            required.add("iss");
        }
        jwt.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience.isBlank() ? null : new HashSet<>(List.of(audience)), exact.build(),
                required, null));
        this.processor = jwt;
        LOG.info("JWT authentication is on ({}{}{}{})", secret.isBlank() ? "" : "HMAC secret", !secret.isBlank() && !jwksUrl.isBlank() ? ", " : "",
                jwksUrl.isBlank() ? "" : "JWKS " + jwksUrl, (issuer.isBlank() ? "" : ", issuer " + issuer) + (audience.isBlank() ? "" : ", audience " + audience));
    }

    /** The verifier, when JWT authentication is on. */
    Optional<JWTProcessor<SecurityContext>> processor() {
        return Optional.ofNullable(processor);
    }

    String rolesClaim() {
        return rolesClaim;
    }
}
