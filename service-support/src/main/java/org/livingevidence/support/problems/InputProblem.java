package org.livingevidence.support.problems;

import java.util.List;

/**
 * Thrown by request handling when input is refused; becomes a problem+json response. Nothing is written before
 * it is thrown.
 */
public class InputProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final transient List<Problem.FieldError> errors;

    public InputProblem(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 422: well-formed input that breaks a rule; each error names its field. */
    public static InputProblem invalid(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new InputProblem(422, ProblemTypes.VALIDATION, "Invalid input", detail, errors);
    }

    public static InputProblem invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** 404 for a resource named in the path. */
    public static InputProblem notFound(String what, String id) {
        return new InputProblem(404, ProblemTypes.NOT_FOUND, "Not found", what + " " + id + " does not exist", List.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
