package dev.cellshop.cell.bench;

import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Waits until the relay has published the shop's outbox, so one phase does not pay for another's events. */
final class OutboxDrain {

    private OutboxDrain() {
    }

    static void await(PlatformEndpoints.Mysql mysql, long shop) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE shop_id = ?")) {
            s.setLong(1, shop);
            long left;
            do {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    left = rs.getLong(1);
                }
                if (left > 0) {
                    Thread.sleep(250);
                }
            } while (left > 0 && System.currentTimeMillis() < deadline);
            if (left > 0) {
                Results.log("outbox still holds " + left + " events after 60 s; going on");
            }
        }
    }
}
