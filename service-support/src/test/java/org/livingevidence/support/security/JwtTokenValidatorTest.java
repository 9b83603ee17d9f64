package org.livingevidence.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.security.authentication.Authentication;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nimbus does the verification; these tests pin the settings that decide what is accepted. */
class JwtTokenValidatorTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-unit";
    private static HttpServer jwks;
    private static RSAKey rsa;

    @BeforeAll
    static void serveJwks() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] body = new JWKSet(rsa.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.setExecutor(Executors.newSingleThreadExecutor());
        jwks.start();
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    private static JwtTokenValidator validator(String secret, String jwksUrl, String issuer, String audience) {
        return new JwtTokenValidator(new JwtSettings(secret, jwksUrl, issuer, audience, "roles"), Executors.newSingleThreadExecutor());
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("alice").issuer("https://idp").audience("registry").claim("roles", List.of("CURATOR", "OWNER"))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    }

    private static String hs256(String secret, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String rs256(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    @Test
    void aValidTokenBecomesAPrincipalOfIssuerAndSubjectWithItsKnownRoles() throws Exception {
        Authentication auth = validator(SECRET, "", "https://idp", "registry").verify(hs256(SECRET, claims().build()));

        assertThat(auth.getName()).isEqualTo("jwt:alice@https://idp");
        assertThat(auth.getRoles()).containsExactly("CURATOR");
        assertThat(Caller.of(auth).displayName()).isEqualTo("alice");
    }

    @Test
    void withoutASecretOrJwksNoTokenIsAcceptedAtAll() throws Exception {
        JwtSettings off = new JwtSettings("", "", "", "", "roles");
        assertThat(off.processor()).isEmpty();
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"x\",\"roles\":[\"ADMIN\"]}".getBytes()) + ".";
        assertThat(validator(SECRET, "", "", "").verify(unsigned)).isNull();
    }

    @Test
    void aSecretShorterThan256BitsStopsTheStart() {
        assertThatThrownBy(() -> new JwtSettings("too-short", "", "", "", "roles"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 256 bits");
    }

    @Test
    void issuerAudienceExpiryAndNotBeforeAreEnforced() throws Exception {
        JwtTokenValidator strict = validator(SECRET, "", "https://idp", "registry");
        Instant now = Instant.now();
        assertThat(strict.verify(hs256(SECRET, claims().issuer("https://other").build()))).isNull();
        assertThat(strict.verify(hs256(SECRET, claims().audience("other").build()))).isNull();
        assertThat(strict.verify(hs256(SECRET, claims().expirationTime(Date.from(now.minusSeconds(120))).build()))).isNull();
        assertThat(strict.verify(hs256(SECRET, claims().notBeforeTime(Date.from(now.plusSeconds(120))).build()))).isNull();
        assertThat(strict.verify(hs256(SECRET, claims().expirationTime(null).build()))).isNull();
        assertThat(strict.verify(hs256(SECRET + "-other", claims().build()))).isNull();
        // Within the 60 s of allowed clock skew.
        assertThat(strict.verify(hs256(SECRET, claims().expirationTime(Date.from(now.minusSeconds(20))).build()))).isNotNull();
    }

    @Test
    void publicKeysComeFromTheJwksAndAnHmacTokenCannotPassAsOneSignedWithThem() throws Exception {
        String url = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
        JwtTokenValidator jwksOnly = validator("", url, "https://idp", "registry");

        assertThat(jwksOnly.verify(rs256(claims().build()))).isNotNull();
        // The algorithm-confusion attack: HMAC with the public key's bytes as the secret.
        String publicKeyAsSecret = new String(rsa.toPublicJWK().toRSAPublicKey().getEncoded(), StandardCharsets.ISO_8859_1);
        assertThat(jwksOnly.verify(hs256(publicKeyAsSecret, claims().build()))).isNull();
        assertThat(jwksOnly.verify(hs256(SECRET, claims().build()))).isNull();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims().build());
        forged.sign(new RSASSASigner(stranger));
        assertThat(jwksOnly.verify(forged.serialize())).isNull();
    }
}
