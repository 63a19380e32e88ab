package dev.cellshop.kernel.problem;

import dev.cellshop.kernel.json.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemTest {

    @Test
    void factories_use_our_problem_types_and_the_standard_titles() {
        assertThat(Problem.badRequest("x")).extracting(Problem::status, Problem::title, Problem::type)
                .containsExactly(400, "Bad Request", URI.create("https://cellshop.dev/problems/bad-request"));
        assertThat(Problem.unauthorized("x").title()).isEqualTo("Unauthorized");
        assertThat(Problem.notFound("x").type()).hasToString("https://cellshop.dev/problems/not-found");
        assertThat(Problem.conflict("x").status()).isEqualTo(409);
        assertThat(Problem.payloadTooLarge("x")).extracting(Problem::status, Problem::title).containsExactly(413, "Content Too Large");
        assertThat(Problem.misdirected("x")).extracting(Problem::status, Problem::title).containsExactly(421, "Misdirected Request");
        assertThat(Problem.unprocessable("x")).extracting(Problem::status, Problem::title).containsExactly(422, "Unprocessable Content");
        assertThat(Problem.tooManyRequests("x").type()).hasToString("https://cellshop.dev/problems/too-many-requests");
        assertThat(Problem.serviceUnavailable("x")).extracting(Problem::status, Problem::title).containsExactly(503, "Service Unavailable");
        assertThat(Problem.of(418, "x")).extracting(Problem::title, Problem::type)
                .containsExactly("Client Error", URI.create("https://cellshop.dev/problems/http-418"));
    }

    @Test
    void a_problem_is_an_error_status() {
        assertThatThrownBy(() -> Problem.of(200, "fine")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200");
        assertThatThrownBy(() -> Problem.of(600, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void problem_json_has_the_rfc_members_and_extensions_at_top_level() {
        Problem problem = Problem.serviceUnavailable("cell-a is unavailable")
                .withExtension("retryAfterSeconds", 2)
                .withExtension("cell", "cell-a");
        assertThat(problem.toJson()).isEqualTo("{\"type\":\"https://cellshop.dev/problems/service-unavailable\","
                + "\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"cell-a is unavailable\","
                + "\"retryAfterSeconds\":2,\"cell\":\"cell-a\"}");
    }

    @Test
    void problem_json_reads_back_with_its_extensions() {
        Problem problem = Problem.conflict("order is FULFILLED").withInstance("/admin/v1/orders/7/cancel")
                .withExtension("orderState", "FULFILLED");
        Problem read = Json.read(problem.toJson(), Problem.class);
        assertThat(read).isEqualTo(problem);
        assertThat(read.extensions()).isEqualTo(Map.of("orderState", "FULFILLED"));
    }

    @Test
    void problem_json_from_elsewhere_without_a_type_means_about_blank() {
        Problem read = Json.read("{\"status\":404,\"title\":\"Not Found\"}", Problem.class);
        assertThat(read.type()).hasToString("about:blank");
        assertThat(read.detail()).isNull();
        assertThatThrownBy(() -> Json.read("{\"title\":\"x\"}", Problem.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensions_cannot_shadow_standard_members_or_be_null() {
        Problem problem = Problem.badRequest("x");
        assertThatThrownBy(() -> problem.withExtension("status", 200)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> problem.withExtension("k", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k'");
    }

    @Test
    void with_extension_leaves_the_original_unchanged() {
        Problem original = Problem.badRequest("x");
        original.withExtension("field", "email");
        assertThat(original.extensions()).isEmpty();
    }

    @Test
    void problem_exception_carries_its_problem_for_the_failure_handler() {
        Problem problem = Problem.notFound("product 7 not found");
        ProblemException thrown = new ProblemException(problem);
        assertThat(thrown.problem()).isSameAs(problem);
        assertThat(thrown).hasMessage("404 Not Found: product 7 not found");
        assertThat(Problem.MEDIA_TYPE).isEqualTo("application/problem+json");
    }
}
