package dev.cellshop.kernel.problem;

import java.util.Objects;

/**
 * Thrown by domain code to end a request with a specific problem; the one failure handler
 * of each HTTP API renders {@link #problem()} as {@code application/problem+json}.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Throwable cause) {
        super(message(problem), cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    private static String message(Problem problem) {
        Objects.requireNonNull(problem, "problem");
        return problem.status() + " " + problem.title() + (problem.detail() == null ? "" : ": " + problem.detail());
    }
}
