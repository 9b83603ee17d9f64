package org.livingevidence.study;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** study-service: curators' questions, studies and outcome records, stored in MongoDB and published to Kafka. */
@OpenAPIDefinition(info = @Info(title = "Living evidence registry: study-service", version = "1",
        description = "The curator registry: evidence questions, studies and outcome records with immutable revisions. "
                + "Writes need a CURATOR API key or JWT as a bearer token; errors are RFC 7807 problem+json (docs/errors.md)."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key (lek_...) or a JWT whose roles claim includes CURATOR")
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
