package dev.cellshop.control.certification;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreProbesTest {

    @Test
    void a_failure_names_the_address_of_an_endpoint_given_as_url_or_as_host_and_port() {
        assertThat(StoreProbes.address("jdbc:mysql://127.0.0.1:33320/cellshop?useSSL=false")).isEqualTo("127.0.0.1:33320");
        assertThat(StoreProbes.address("redis://user:secret@cache.example:6379/0")).isEqualTo("cache.example:6379");
        assertThat(StoreProbes.address("rediss://10.0.0.7:6380")).isEqualTo("10.0.0.7:6380");
        assertThat(StoreProbes.address("db.example:3306")).isEqualTo("db.example:3306");
    }
}
