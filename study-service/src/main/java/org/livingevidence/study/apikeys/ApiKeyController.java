package org.livingevidence.study.apikeys;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.livingevidence.contracts.events.ApiKeyRevised;
import org.livingevidence.contracts.events.ApiKeyRevised.KeyStatus;
import org.livingevidence.contracts.events.ApiKeyRevised.Role;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;
import org.livingevidence.support.security.ApiKeyFormat;
import org.livingevidence.support.security.ApiKeyRegistry;
import org.livingevidence.support.security.Caller;
import org.livingevidence.support.security.Roles;

/**
 * The one place keys are issued and revoked. A key works on every service: its revision travels on
 * {@code evidence.api-keys.v1}, which every service reads. This instance applies the change to its own registry at
 * once, so the key works here in the response's wake; the other services within seconds.
 */
@Controller("/api/v1/api-keys")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
class ApiKeyController {

    static final Duration MAX_LIFETIME = Duration.ofDays(3660);

    /** @param expiresAt optional: when the key stops working (at most ten years ahead) */
    record IssueRequest(String name, List<Role> roles, @Nullable Instant expiresAt) {
    }

    /** A new key: {@code apiKey} is in this response only. */
    record IssuedKey(String keyId, String name, List<Role> roles, Instant expiresAt, String apiKey) {
    }

    /**
     * A key as administrators see it, never with its secret.
     *
     * @param lastUsedAt when any service last authenticated it (reported within about a minute), or null
     * @param source     API for issued keys, CONFIGURATION for the bootstrap key
     */
    record KeyView(String keyId, String name, List<String> roles, KeyStatus status, Instant issuedAt, String issuedBy,
                   Instant expiresAt, boolean expired, Instant revokedAt, String revokedBy, Instant lastUsedAt, String source) {
    }

    private final ApiKeyRepository repository;
    private final ApiKeyRegistry registry;
    private final Clock clock;

    ApiKeyController(ApiKeyRepository repository, ApiKeyRegistry registry, Clock clock) {
        this.repository = repository;
        this.registry = registry;
        this.clock = clock;
    }

    @Post
    HttpResponse<IssuedKey> issue(@Body @Nullable IssueRequest request, Authentication admin) {
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        if (request == null || request.name() == null || !request.name().matches("[A-Za-z0-9._@-]{1,100}")) {
            errors.add(new FieldError("name", "is required: 1 to 100 letters, digits, '.', '_', '@' or '-'"));
        }
        if (request == null || request.roles() == null || request.roles().isEmpty() || request.roles().contains(null)) {
            errors.add(new FieldError("roles", "must list one or more of " + List.of(Role.values())));
        }
        if (request != null && request.expiresAt() != null
                && (!request.expiresAt().isAfter(now) || request.expiresAt().isAfter(now.plus(MAX_LIFETIME)))) {
            errors.add(new FieldError("expiresAt", "must lie in the future and at most ten years ahead, was " + request.expiresAt()));
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
        if (registry.nameTaken(request.name(), null)) {
            throw nameTaken(request.name());
        }
        String key = ApiKeyFormat.newKey();
        List<Role> roles = request.roles().stream().distinct().sorted().toList();
        ApiKeyRevised issued = new ApiKeyRevised(ApiKeyFormat.newKeyId(), 1, request.name(), ApiKeyFormat.digest(key), roles,
                KeyStatus.ACTIVE, now, Caller.of(admin).principalId(), request.expiresAt(), null, null, now);
        try {
            repository.insert(issued);
        } catch (ApiKeyRepository.NameTaken e) {
            throw nameTaken(request.name());
        }
        registry.apply(issued);
        return HttpResponse.created(new IssuedKey(issued.keyId(), issued.name(), roles, issued.expiresAt(), key),
                URI.create("/api/v1/api-keys/" + issued.keyId()));
    }

    /** Every key, newest first (the bootstrap key from configuration first of all). */
    @Get
    List<KeyView> list() {
        List<KeyView> views = new ArrayList<>();
        registry.bootstrap().ifPresent(b -> views.add(new KeyView(b.keyId(), b.name(), b.roles(), KeyStatus.ACTIVE, null, null,
                null, false, null, null, null, "CONFIGURATION")));
        repository.all().forEach(k -> views.add(view(k)));
        return views;
    }

    @Get("/{keyId}")
    KeyView get(@PathVariable String keyId) {
        return repository.find(keyId).map(this::view).orElseThrow(() -> InputProblem.notFound("API key", keyId));
    }

    /** Revokes the key on every service: here at once, elsewhere as soon as they read the revision (seconds). */
    @Post("/{keyId}/revocation")
    KeyView revoke(@PathVariable String keyId, Authentication admin) {
        if (ApiKeyRegistry.BOOTSTRAP_KEY_ID.equals(keyId)) {
            throw InputProblem.conflict("keyId", "the bootstrap key comes from configuration (EVIDENCE_SECURITY_BOOTSTRAP_API_KEY): "
                    + "remove or change that setting and restart the services to retire it");
        }
        ApiKeyRepository.StoredKey stored = repository.find(keyId).orElseThrow(() -> InputProblem.notFound("API key", keyId));
        ApiKeyRevised current = stored.key();
        if (current.status() == KeyStatus.REVOKED) {
            throw InputProblem.conflict("status", "API key " + keyId + " is already revoked");
        }
        Instant now = clock.instant();
        ApiKeyRevised revoked = new ApiKeyRevised(current.keyId(), current.revision() + 1, current.name(), current.digest(),
                current.roles(), KeyStatus.REVOKED, current.issuedAt(), current.issuedBy(), current.expiresAt(), now,
                Caller.of(admin).principalId(), now);
        if (!repository.revise(revoked)) {
            throw InputProblem.conflict("keyId", "API key " + keyId + " changed at the same time; read it and try again");
        }
        registry.apply(revoked);
        return view(new ApiKeyRepository.StoredKey(revoked, stored.lastUsedAt()));
    }

    private KeyView view(ApiKeyRepository.StoredKey stored) {
        ApiKeyRevised k = stored.key();
        boolean expired = k.expiresAt() != null && !clock.instant().isBefore(k.expiresAt());
        return new KeyView(k.keyId(), k.name(), k.roles().stream().map(Enum::name).toList(), k.status(), k.issuedAt(), k.issuedBy(),
                k.expiresAt(), expired, k.revokedAt(), k.revokedBy(), stored.lastUsedAt(), "API");
    }

    private static InputProblem nameTaken(String name) {
        return InputProblem.conflict("name", "a key named " + name + " exists; key names are unique");
    }
}
