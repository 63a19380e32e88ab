package dev.cellshop.control.shops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.control.cells.CellRegistry;
import dev.cellshop.control.credentials.CellCredentials;
import dev.cellshop.control.placement.CellChooser;
import dev.cellshop.control.placement.PlacementWeights;
import dev.cellshop.control.placement.Placer;
import dev.cellshop.control.topology.CellCache;
import dev.cellshop.control.topology.ShopCounts;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shop-creation library against the real ZooKeeper and a real cell shard, under a
 * topology root of its own (so a deliberately broken cell never joins the platform's pool).
 */
@ExtendWith(LocalPlatformExtension.class)
class ShopCreatorIT {

    private static final CellId LIVE = CellId.of("cell-live");
    private static final CellId DEAD = CellId.of("cell-dead");

    private CuratorFramework curator;
    private LeasedIdGenerator ids;
    private ShopCounts counts;
    private CellCache cellCache;
    private TopologyStore topology;
    private ShopCreator creator;
    private AuditLog audit;
    private CellRegistry cells;
    private CellDatabase databases;

    @BeforeEach
    void start(PlatformEndpoints platform) throws Exception {
        curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5));
        curator.start();
        TopologyPaths paths = new TopologyPaths("/it-shop-creator-" + UUID.randomUUID());
        audit = new AuditLog(curator, paths);
        topology = new TopologyStore(curator, paths, audit);
        topology.ensureCreated();
        ids = LeasedIdGenerator.start(curator, paths);
        counts = new ShopCounts(curator, paths);
        counts.start(10_000);
        Placer placer = new Placer(new CellChooser(new PlacementWeights(100, 0)), counts);
        PlatformEndpoints.Mysql mysql = platform.cell("cell-a").mysql();
        cells = new CellRegistry(topology, placer);
        cells.registerLocalIfAbsent(LIVE, new Endpoints("jdbc:mysql://" + mysql.host() + ":" + mysql.port() + "/" + mysql.database(),
                platform.cell("cell-a").redis(), platform.cell("cell-a").memcached()), new Capacity(100, 1000), "it");
        // port 1: nothing listens, the connection is refused at once
        cells.registerLocalIfAbsent(DEAD, new Endpoints("127.0.0.1:1", "redis://127.0.0.1:1", "127.0.0.1:1"), new Capacity(100, 1000), "it");
        databases = new CellDatabase(cell -> new CellCredentials.Login(mysql.user(), mysql.password()));
        cellCache = new CellCache(curator, paths);
        cellCache.start(10_000);
        creator = new ShopCreator(topology, cellCache, placer, databases, ids);
    }

    @AfterEach
    void stop() {
        counts.close();
        cellCache.close();
        ids.close();
        curator.close();
    }

    @Test
    void a_shop_whose_cell_database_cannot_be_written_leaves_no_domain_claim_and_no_placement() throws Exception {
        String domain = "unlucky-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test";

        assertThatThrownBy(() -> creator.create(new NewShop("Unlucky", domain, null, DEAD), "it"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(503);
                    assertThat(e.problem().detail()).contains("cell cell-dead is not reachable", "127.0.0.1:1");
                });

        assertThat(topology.domainOwner(domain)).as("the domain claim was released").isEmpty();
        assertThat(curator.getChildren().forPath(topology.paths().shops())).as("no placement written").isEmpty();
        CreatedShop retried = creator.create(new NewShop("Lucky", domain, null, LIVE), "it");
        assertThat(topology.domainOwner(domain)).contains(retried.shopId());
        assertThat(topology.placement(retried.shopId())).hasValueSatisfying(p -> {
            assertThat(p.cellId()).isEqualTo(LIVE);
            assertThat(p.state()).isEqualTo(PlacementState.ACTIVE);
            assertThat(p.epoch()).isEqualTo(1);
        });
    }

    @Test
    void every_change_is_in_the_audit_log_with_who_what_and_before_and_after() throws Exception {
        String domain = "audited-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test";

        CreatedShop shop = creator.create(new NewShop("Audited", domain, "USD", LIVE), "alice");

        List<AuditEntry> entries = audit.latest(10);
        assertThat(entries).extracting(AuditEntry::action).containsExactly("cell.register", "cell.register", "shop.create");
        AuditEntry created = entries.get(2);
        assertThat(created.actor()).isEqualTo("alice");
        assertThat(created.subject()).isEqualTo("shop/" + shop.shopId());
        assertThat(created.before()).isNull();
        assertThat(created.after().get("domain").asText()).isEqualTo(domain);
        assertThat(created.after().path("placement").get("cellId").asText()).isEqualTo("cell-live");
        assertThat(entries.get(0).after().get("state").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void a_drained_cell_takes_no_new_shop_and_is_retired_only_once_it_holds_none() throws Exception {
        creator.create(new NewShop("Stays", "stays-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test", null, LIVE), "it");

        assertThat(cells.drain(DEAD, "ops").state()).isEqualTo(CellState.DRAINING);
        assertThat(cells.retire(DEAD, "ops").state()).as("empty: retired").isEqualTo(CellState.RETIRED);
        assertThat(cells.drain(LIVE, "ops").state()).isEqualTo(CellState.DRAINING);
        assertThatThrownBy(() -> creator.create(new NewShop("Pinned", "pinned.cellshop.test", null, LIVE), "it"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(409));
        // the pool is chosen from a cache of the descriptors, which trails the drain by milliseconds
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> creator.create(new NewShop("Pooled", "pooled.cellshop.test", null, null), "it"))
                        .isInstanceOfSatisfying(ProblemException.class, e -> {
                            assertThat(e.problem().status()).isEqualTo(503);
                            assertThat(e.problem().detail()).contains("cell-live is DRAINING", "cell-dead is RETIRED");
                        }));
        assertThatThrownBy(() -> cells.retire(LIVE, "ops"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(409);
                    assertThat(e.problem().detail()).contains("cell-live still holds 1 shop");
                });
        assertThat(audit.latest(20)).extracting(AuditEntry::action).containsSubsequence("cell.drain", "cell.retire", "cell.drain");
    }

    @Test
    void a_certification_canary_is_created_on_a_cell_outside_the_pool_and_removed_without_a_trace() throws Exception {
        CellDescriptor certifying = CellDescriptor.provisioning(CellId.of("cell-new"), topology.cell(LIVE).orElseThrow().endpoints(),
                new Capacity(100, 1000)).transitionTo(CellState.CERTIFYING, null);
        topology.putCell(null, certifying, "it", "cell.register");
        String domain = "canary-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test";

        CreatedShop canary = creator.createCanary(certifying, new NewShop("canary", domain, null, null), "it");
        assertThat(topology.placement(canary.shopId())).hasValueSatisfying(p -> assertThat(p.cellId()).isEqualTo(certifying.cellId()));
        new ShopRemover(topology, databases).remove(certifying, canary.shopId(), domain, "it");

        assertThat(topology.placement(canary.shopId())).isEmpty();
        assertThat(topology.domainOwner(domain)).isEmpty();
        assertThat(databases.shop(certifying, canary.shopId())).as("rows deleted").isEmpty();
        assertThat(audit.latest(3)).extracting(AuditEntry::action).containsExactly("cell.register", "cell.certify.canary",
                "cell.certify.canary-removed");
    }
}
