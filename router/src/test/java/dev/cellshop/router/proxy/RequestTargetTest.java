package dev.cellshop.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void a_canonical_target_is_kept_as_it_is() {
        String target = "/api/v1/products/12?limit=5&q=a%20b/../x";
        assertThat(RequestTarget.canonical(target)).isSameAs(target);
        assertThat(RequestTarget.canonical("/")).isEqualTo("/");
        assertThat(RequestTarget.canonical("/api/v1/carts/abc-_.~!$&'()*+,;=:@%20%3F")).isEqualTo("/api/v1/carts/abc-_.~!$&'()*+,;=:@%20%3F");
    }

    @Test
    void every_spelling_of_an_internal_path_comes_out_as_the_internal_path() {
        String internal = "/internal/v1/shops/7/quiescence";
        for (String spelling : new String[] {"/api/v1/../../internal/v1/shops/7/quiescence", "/%69nternal/v1/shops/7/quiescence",
                "//internal/v1/shops/7/quiescence", "/api/v1/%2e%2e/%2E%2E/internal/v1/shops/7/quiescence",
                "/./internal/./v1//shops/7/quiescence", "http://cell.example/internal/v1/shops/7/quiescence",
                "/api/v1/.%2e/..//internal/v1/shops/7/quiescence"}) {
            String canonical = RequestTarget.canonical(spelling);
            assertThat(canonical).as(spelling).isEqualTo(internal);
            assertThat(RequestTarget.isInternal(canonical)).as(spelling).isTrue();
        }
        assertThat(RequestTarget.isInternal("/INTERNAL/v1")).isTrue();
        assertThat(RequestTarget.isInternal("/internal?x=1")).isTrue();
        assertThat(RequestTarget.isInternal("/internals")).isFalse();
        assertThat(RequestTarget.isInternal("/api/v1/internal")).isFalse();
    }

    @Test
    void the_routers_own_paths_are_recognised_in_every_spelling() {
        for (String spelling : new String[] {"/metrics", "/health", "/ready", "/metrics/", "//metrics", "/api/../metrics",
                "/%6detrics", "/Ready?x=1", "/health/anything"}) {
            assertThat(RequestTarget.isRouters(RequestTarget.canonical(spelling))).as(spelling).isTrue();
        }
        assertThat(RequestTarget.isRouters("/metricsx")).isFalse();
        assertThat(RequestTarget.isRouters("/api/v1/health")).isFalse();
    }

    @Test
    void escapes_of_unreserved_characters_are_decoded_and_the_rest_kept_upper_case() {
        assertThat(RequestTarget.canonical("/api/v1/products/%41%62c%3f%2b?q=%69")).isEqualTo("/api/v1/products/Abc%3F%2B?q=%69");
        assertThat(RequestTarget.canonical("/a/b/../c/./d/")).isEqualTo("/a/c/d/");
        assertThat(RequestTarget.canonical("/a/b/..")).isEqualTo("/a/");
        assertThat(RequestTarget.canonical("/a/\"b\"")).as("raw characters a path may not hold are encoded").isEqualTo("/a/%22b%22");
        assertThat(RequestTarget.canonical("http://host:8080?x=1")).isEqualTo("/?x=1");
    }

    @Test
    void targets_that_cannot_be_made_canonical_are_refused_with_the_reason() {
        assertThatThrownBy(() -> RequestTarget.canonical("/../internal/v1")).hasMessageContaining("above the root");
        assertThatThrownBy(() -> RequestTarget.canonical("/api/v1/%2e%2e/%2e%2e/..")).hasMessageContaining("above the root");
        assertThatThrownBy(() -> RequestTarget.canonical("/api%2F..%2Finternal")).hasMessageContaining("%2F");
        assertThatThrownBy(() -> RequestTarget.canonical("/api/%00")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> RequestTarget.canonical("/api/%zz")).hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> RequestTarget.canonical("/api/%4")).hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> RequestTarget.canonical("*")).hasMessageContaining("not a path");
        assertThatThrownBy(() -> RequestTarget.canonical("cell.example:443")).hasMessageContaining("not a path");
        assertThatThrownBy(() -> RequestTarget.canonical("/a#frag")).hasMessageContaining("fragment");
    }
}
