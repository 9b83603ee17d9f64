package org.livingevidence.notify;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** notify-service: alerts subscribers by webhook, email or Atom feed when the evidence on a question changes. */
@OpenAPIDefinition(info = @Info(title = "Living evidence registry: notify-service", version = "1",
        description = "Subscriptions and alert delivery: signed webhooks with retries, email, Atom feeds. Subscriptions need a "
                + "SUBSCRIBER API key or JWT as a bearer token; feeds and unsubscribe links carry their own tokens. Alert "
                + "bodies follow contracts/schemas/alert/v1.json; errors are RFC 7807 problem+json (docs/errors.md)."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key (lek_...) or a JWT whose roles claim includes SUBSCRIBER")
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
