package dev.cellshop.kernel.placement;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.json.Json;
import org.junit.jupiter.api.Test;

import static dev.cellshop.kernel.placement.CellState.ACTIVE;
import static dev.cellshop.kernel.placement.CellState.CERTIFYING;
import static dev.cellshop.kernel.placement.CellState.DRAINING;
import static dev.cellshop.kernel.placement.CellState.PROVISIONING;
import static dev.cellshop.kernel.placement.CellState.RETIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CellDescriptorTest {

    private static final Endpoints ENDPOINTS =
            new Endpoints("jdbc:mysql://127.0.0.1:3307/cellshop", "redis://127.0.0.1:6380", "127.0.0.1:11212");
    private static final Capacity CAPACITY = new Capacity(100, 500.0);

    private static CellDescriptor fresh() {
        return CellDescriptor.provisioning(CellId.of("cell-a"), ENDPOINTS, CAPACITY);
    }

    @Test
    void a_cell_goes_through_its_whole_life() {
        CellDescriptor cell = fresh()
                .transitionTo(CERTIFYING, null)
                .transitionTo(ACTIVE, "certified")
                .transitionTo(DRAINING, "hardware refresh")
                .transitionTo(ACTIVE, "refresh cancelled")
                .transitionTo(DRAINING, null)
                .transitionTo(RETIRED, "empty");
        assertThat(cell.state()).isEqualTo(RETIRED);
        assertThat(cell.stateReason()).isEqualTo("empty");
    }

    @Test
    void a_failed_certification_goes_back_to_provisioning_with_its_reason() {
        CellDescriptor cell = fresh().transitionTo(CERTIFYING, null).transitionTo(PROVISIONING, "redis unreachable");
        assertThat(cell.state()).isEqualTo(PROVISIONING);
        assertThat(cell.stateReason()).isEqualTo("redis unreachable");
    }

    @Test
    void a_failed_certification_without_a_reason_is_refused() {
        CellDescriptor certifying = fresh().transitionTo(CERTIFYING, null);
        assertThatThrownBy(() -> certifying.transitionTo(PROVISIONING, " "))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reason");
    }

    @Test
    void illegal_transitions_name_both_states() {
        assertThatThrownBy(() -> fresh().transitionTo(ACTIVE, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PROVISIONING").hasMessageContaining("ACTIVE");
        CellDescriptor retired = fresh().transitionTo(CERTIFYING, null).transitionTo(ACTIVE, null)
                .transitionTo(DRAINING, null).transitionTo(RETIRED, null);
        assertThatThrownBy(() -> retired.transitionTo(ACTIVE, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RETIRED").hasMessageContaining("ACTIVE");
    }

    @Test
    void exactly_the_documented_transitions_are_allowed() {
        StringBuilder allowed = new StringBuilder();
        for (CellState from : CellState.values()) {
            for (CellState to : CellState.values()) {
                if (from.canTransitionTo(to)) {
                    allowed.append(from).append("->").append(to).append(' ');
                }
            }
        }
        assertThat(allowed.toString().trim()).isEqualTo(
                "PROVISIONING->CERTIFYING CERTIFYING->PROVISIONING CERTIFYING->ACTIVE ACTIVE->DRAINING DRAINING->ACTIVE DRAINING->RETIRED");
    }

    @Test
    void only_an_active_cell_takes_new_shops() {
        assertThat(ACTIVE.acceptsNewShops()).isTrue();
        assertThat(DRAINING.acceptsNewShops()).isFalse();
        assertThat(CERTIFYING.acceptsNewShops()).isFalse();
    }

    @Test
    void cell_descriptor_json_round_trips_and_omits_an_absent_reason() {
        CellDescriptor cell = fresh();
        String json = Json.write(cell);
        assertThat(json).doesNotContain("stateReason").contains("\"cellId\":\"cell-a\"", "\"state\":\"PROVISIONING\"",
                "\"redis\":\"redis://127.0.0.1:6380\"", "\"maxShops\":100");
        assertThat(Json.read(json, CellDescriptor.class)).isEqualTo(cell);
        CellDescriptor failed = cell.transitionTo(CERTIFYING, null).transitionTo(PROVISIONING, "mysql down");
        assertThat(Json.read(Json.write(failed), CellDescriptor.class)).isEqualTo(failed);
    }

    @Test
    void endpoints_accept_jdbc_urls_host_ports_and_redis_urls() {
        assertThat(new Endpoints("db.cell-a.internal:3306", "rediss://:secret@[::1]:6379/0", "[::1]:11211").mysql())
                .isEqualTo("db.cell-a.internal:3306");
    }

    @Test
    void a_mysql_endpoint_is_host_port_and_database_only() {
        assertThat(new Endpoints("mysql://db.cell-a.internal:3306/shard_7", "redis://h:1", "h:1").mysqlEndpoint())
                .isEqualTo(new MysqlEndpoint("db.cell-a.internal", 3306, "shard_7"));
        assertThat(new Endpoints("db.cell-a.internal:3306", "redis://h:1", "h:1").mysqlEndpoint().jdbcUrl())
                .isEqualTo("jdbc:mysql://db.cell-a.internal:3306/cellshop");
        assertThat(new Endpoints("jdbc:mysql://127.0.0.1:13300/cellshop", "redis://h:1", "h:1").mysqlEndpoint())
                .as("the form descriptors already in ZooKeeper carry").isEqualTo(new MysqlEndpoint("127.0.0.1", 13300, "cellshop"));
        assertThat(Json.write(new Endpoints("h:1", "redis://h:1", "h:1"))).doesNotContain("mysqlEndpoint");
    }

    @Test
    void a_mysql_endpoint_with_driver_parameters_or_credentials_is_refused_saying_what_is_accepted() {
        for (String endpoint : new String[] {"jdbc:mysql://h:1/db?allowLoadLocalInfile=true", "jdbc:mysql://h:1/db?autoDeserialize=true",
                "mysql://h:1/db?allowLoadLocalInfile=true", "jdbc:mysql://h:1/db;autoDeserialize=true", "jdbc:mysql://u:p@h:1/db",
                "jdbc:mysql://(host=h,port=1,allowLoadLocalInfile=true)/db", "jdbc:mysql:loadbalance://h:1,h:2/db",
                "jdbc:mariadb://h:1/db", "jdbc:mysql://h:1/db#x", "mysql://h:1/", "h:1/db", "jdbc:mysql://h:1/db/../x"}) {
            assertThatThrownBy(() -> new Endpoints(endpoint, "redis://h:1", "h:1")).as(endpoint)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + endpoint + "'").hasMessageContaining("mysql://host:port/database or host:port");
        }
    }

    @Test
    void endpoints_refuse_malformed_addresses_naming_the_store() {
        assertThatThrownBy(() -> new Endpoints("localhost", "redis://h:1", "h:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mysql").hasMessageContaining("'localhost'");
        assertThatThrownBy(() -> new Endpoints("h:3306", "h:6379", "h:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis");
        assertThatThrownBy(() -> new Endpoints("h:3306", "redis://h:6379", "h:70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memcached");
        assertThatThrownBy(() -> new Endpoints("h:3306", "redis://h:6379", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memcached");
    }

    @Test
    void capacity_must_be_positive() {
        assertThatThrownBy(() -> new Capacity(0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxShops");
        assertThatThrownBy(() -> new Capacity(1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLoad");
        assertThatThrownBy(() -> new Capacity(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Capacity(1, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cell_descriptor_json_with_bad_capacity_is_refused() {
        String json = Json.write(fresh()).replace("\"maxShops\":100", "\"maxShops\":-1");
        assertThatThrownBy(() -> Json.read(json, CellDescriptor.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxShops");
    }
}
