package dev.cellshop.control.cells;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.placement.MysqlEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cells of the local platform, read from the file {@code ops/cellshop up} writes
 * ({@code platform.json}: each cell's MySQL, Redis and Memcached; its password stays there, the control plane
 * reads a cell's from {@code cell.secrets-dir}), so the control plane can
 * register them on its start; a remote cell is registered through {@code POST /v1/cells}.
 */
public final class LocalCells {

    public record LocalCell(CellId cellId, Endpoints endpoints) {
    }

    private LocalCells() {
    }

    public static List<LocalCell> read(Path platformJson) throws IOException {
        JsonNode root = Json.read(Files.readString(platformJson), JsonNode.class);
        List<LocalCell> cells = new ArrayList<>();
        for (JsonNode cell : root.path("cells")) {
            JsonNode mysql = cell.path("mysql");
            MysqlEndpoint endpoint = new MysqlEndpoint(mysql.path("host").asText(), mysql.path("port").asInt(),
                    mysql.path("database").asText(MysqlEndpoint.DEFAULT_DATABASE));
            cells.add(new LocalCell(CellId.of(cell.path("cellId").asText()),
                    new Endpoints(endpoint.toString(), cell.path("redis").asText(), cell.path("memcached").asText())));
        }
        return cells;
    }

    /** host:port of the local platform's router ({@code "router"} of platform.json), empty when it names none. */
    public static String router(Path platformJson) throws IOException {
        return Json.read(Files.readString(platformJson), JsonNode.class).path("router").asText("");
    }

    /** Capacity given to a local cell: shops from the setting, load not measured yet (a large bound). */
    public static Capacity capacity(int maxShops) {
        return new Capacity(maxShops, 1_000_000);
    }
}
