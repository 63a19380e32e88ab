package dev.cellshop.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggedPathTest {

    @Test
    void a_cart_token_in_the_path_is_never_printed() {
        assertThat(LoggedPath.of("/api/v1/carts/s3cr3t-token")).isEqualTo("/api/v1/carts/***");
        assertThat(LoggedPath.of("/api/v1/carts/s3cr3t-token/items")).isEqualTo("/api/v1/carts/***/items");
        assertThat(LoggedPath.of("/api/v1/carts")).isEqualTo("/api/v1/carts");
        assertThat(LoggedPath.of("/api/v1/carts/")).isEqualTo("/api/v1/carts/");
    }

    @Test
    void token_like_query_parameters_keep_their_name_and_lose_their_value() {
        assertThat(LoggedPath.of("/api/v1/orders/5?orderToken=abc&limit=5&token=def&Access_TOKEN=x&flag"))
                .isEqualTo("/api/v1/orders/5?orderToken=***&limit=5&token=***&Access_TOKEN=***&flag");
    }

    @Test
    void a_target_without_credentials_is_printed_as_it_is() {
        String target = "/api/v1/products/12";
        assertThat(LoggedPath.of(target)).isSameAs(target);
    }
}
