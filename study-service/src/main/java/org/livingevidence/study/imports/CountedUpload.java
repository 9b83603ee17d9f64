package org.livingevidence.study.imports;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint whose requests are uploads, admitted by {@link UploadAdmission}: by the route that will handle the
 * request, not by its path, which the router matches more loosely than a filter pattern would (a trailing slash).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CountedUpload {
}
