package org.livingevidence.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JWTs for tests: valid ones signed with the test secret every service under test accepts
 * ({@link TestInfrastructure#serviceProperties}), and one of each defect a service must refuse with 401.
 */
public final class TestJwts {

    public static final String SECRET = "a-test-only-jwt-signing-secret-of-32-bytes-or-more";
    public static final String ISSUER = "https://idp.test.livingevidence.org";
    public static final String AUDIENCE = "living-evidence-registry";

    private TestJwts() {
    }

    /** A token every service under test accepts, for {@code subject} with {@code roles}. */
    public static String valid(String subject, List<String> roles) {
        return sign(SECRET, JWSAlgorithm.HS256, claims(subject, roles).build());
    }

    /** The principal id a service gives {@link #valid}'s subject. */
    public static String principalId(String subject) {
        return "jwt:" + subject + "@" + ISSUER;
    }

    /** One token per defect, each otherwise valid with the ADMIN role, so that only the defect can refuse it. */
    public static Map<String, String> defects() {
        List<String> admin = List.of("ADMIN", "CURATOR", "SUBSCRIBER", "READER");
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("unsigned (alg none)", unsigned("{\"sub\":\"x\",\"roles\":[\"ADMIN\"],\"iss\":\"" + ISSUER + "\",\"aud\":\""
                + AUDIENCE + "\",\"exp\":" + now.plusSeconds(600).getEpochSecond() + "}"));
        tokens.put("unknown algorithm", withHeader("{\"alg\":\"HS999\",\"typ\":\"JWT\"}", claims("x", admin).build()));
        tokens.put("wrong key", sign("another-secret-that-is-also-32-bytes-long!!", JWSAlgorithm.HS256, claims("x", admin).build()));
        tokens.put("expired", sign(SECRET, JWSAlgorithm.HS256, claims("x", admin).expirationTime(Date.from(now.minus(Duration.ofMinutes(10)))).build()));
        tokens.put("not yet valid", sign(SECRET, JWSAlgorithm.HS256, claims("x", admin).notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))).build()));
        tokens.put("wrong issuer", sign(SECRET, JWSAlgorithm.HS256, claims("x", admin).issuer("https://evil.example").build()));
        tokens.put("wrong audience", sign(SECRET, JWSAlgorithm.HS256, claims("x", admin).audience("someone-else").build()));
        tokens.put("no expiry", sign(SECRET, JWSAlgorithm.HS256, claims("x", admin).expirationTime(null).build()));
        tokens.put("tampered payload", tamper(sign(SECRET, JWSAlgorithm.HS256, claims("x", List.of("READER")).build())));
        return tokens;
    }

    public static JWTClaimsSet.Builder claims(String subject, List<String> roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(AUDIENCE).claim("roles", roles)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
    }

    public static String sign(String secret, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(String payloadJson) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payloadJson) + ".";
    }

    private static String withHeader(String headerJson, JWTClaimsSet claims) {
        return b64(headerJson) + "." + b64(claims.toString()) + "." + b64("not-a-signature");
    }

    /** Swaps the payload of a signed token for one claiming ADMIN, keeping the original signature. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String forged = claims("x", List.of("ADMIN")).build().toString();
        return parts[0] + "." + b64(forged) + "." + parts[2];
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
