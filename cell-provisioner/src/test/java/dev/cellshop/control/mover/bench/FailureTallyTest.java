package dev.cellshop.control.mover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailureTallyTest {

    @Test
    void failures_are_counted_by_request_status_and_problem_with_ids_folded() {
        FailureTally tally = new FailureTally();
        String soldOut = "{\"type\":\"https://cellshop.dev/problems/conflict\",\"title\":\"Conflict\",\"status\":409,"
                + "\"detail\":\"variant %d is sold out\"}";
        tally.count("checkout", FailureTally.cause(409, soldOut.formatted(17)), false);
        tally.count("checkout", FailureTally.cause(409, soldOut.formatted(4242)), true);
        tally.count("cart", FailureTally.cause(502, "<html>bad gateway</html>"), true);

        assertThat(tally.total()).isEqualTo(3);
        assertThat(tally.lines()).containsExactly(
                "failure=2 (1 during a cutover) checkout 409 Conflict: variant # is sold out",
                "failure=1 (1 during a cutover) cart 502 (not problem+json) <html>bad gateway</html>");
    }

    @Test
    void a_request_without_an_answer_is_named_by_its_innermost_exception() {
        Exception failure = new IllegalStateException("POST /api/v1/carts", new UncheckedIOException(new ConnectException("Connection refused")));

        assertThat(FailureTally.cause(failure)).isEqualTo("transport ConnectException: Connection refused");
    }
}
