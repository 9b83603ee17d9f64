package org.livingevidence.support.problems;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that takes uploads: {@link BodySizeLimit} gives its requests the upload's cap, and a service may
 * bound how many it takes at once (study-service's {@code UploadAdmission}). Known by the route that will handle the
 * request, not by its path, which the router matches more loosely than a path pattern would (a trailing slash).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UploadEndpoint {
}
