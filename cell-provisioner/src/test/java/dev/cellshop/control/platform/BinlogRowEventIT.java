package dev.cellshop.control.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shop mover's input: ROW events with the full image, tailed from a cell's binlog. */
@ExtendWith(LocalPlatformExtension.class)
class BinlogRowEventIT {

    @Test
    void an_insert_shows_up_as_a_row_event_with_every_column(PlatformEndpoints platform) throws Exception {
        PlatformEndpoints.Mysql mysql = platform.cell("cell-b").mysql().withDatabase("scratch");
        long marker = System.nanoTime();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS it_binlog_probe (shop_id BIGINT NOT NULL, id BIGINT NOT NULL,"
                    + " note VARCHAR(64), PRIMARY KEY (shop_id, id))");
        }
        Map<Long, String> tables = new ConcurrentHashMap<>();
        List<Serializable[]> inserted = new CopyOnWriteArrayList<>();
        BinaryLogClient tail = new BinaryLogClient(mysql.host(), mysql.port(), mysql.user(), mysql.password());
        tail.setServerId(65_000 + (marker % 1000)); // a replica id no other tailer uses
        tail.registerEventListener((Event event) -> {
            if (event.getData() instanceof TableMapEventData map) {
                tables.put(map.getTableId(), map.getDatabase() + "." + map.getTable());
            } else if (event.getData() instanceof WriteRowsEventData rows
                    && "scratch.it_binlog_probe".equals(tables.get(rows.getTableId()))) {
                inserted.addAll(rows.getRows());
            }
        });
        tail.connect(10_000);
        try {
            try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                 Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO it_binlog_probe VALUES (5, " + marker + ", 'hello')");
            }

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(inserted)
                    .anySatisfy(row -> assertThat(Arrays.asList(row)).containsExactly(5L, marker, "hello")));
        } finally {
            tail.disconnect();
        }
    }
}
