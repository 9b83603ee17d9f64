package org.livingevidence.analysis;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** analysis-service: recomputes each question's pooled estimate as records arrive, and publishes conclusion shifts. */
@OpenAPIDefinition(info = @Info(title = "Living evidence registry: analysis-service", version = "1",
        description = "The latest pooled estimate of each evidence question (the same form as its event on "
                + "evidence.pooled-estimates.v1), and stateless analyses of studies given in the request. Open to read unless "
                + "EVIDENCE_READ_ACCESS=READER (then a key or JWT with READER, CURATOR or ADMIN); errors are RFC 7807 "
                + "problem+json (docs/errors.md)."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key (lek_..., issued by study-service) or a JWT; needed for reads only where they are protected")
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
