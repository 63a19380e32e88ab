package dev.cellshop.control.cells;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCellsTest {

    @Test
    void each_cell_of_platform_json_becomes_its_endpoints_without_its_password(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("platform.json");
        Files.writeString(file, """
                {"zookeeper": "127.0.0.1:13181", "platformToken": "t", "cells": [
                  {"cellId": "cell-a", "mysql": {"host": "127.0.0.1", "port": 13300, "user": "cellshop", "password": "secret",
                   "database": "cellshop", "socket": "/tmp/s"}, "redis": "redis://127.0.0.1:13301", "memcached": "127.0.0.1:13302",
                   "runtimes": ["127.0.0.1:13303"]}]}
                """);

        List<LocalCells.LocalCell> cells = LocalCells.read(file);

        assertThat(cells).containsExactly(new LocalCells.LocalCell(CellId.of("cell-a"),
                new Endpoints("mysql://127.0.0.1:13300/cellshop", "redis://127.0.0.1:13301", "127.0.0.1:13302")));
    }
}
