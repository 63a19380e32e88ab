package dev.cellshop.cell.api;

import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class of the cell's API: one real cell-runtime instance on cell-a for the whole class. */
@ExtendWith(LocalPlatformExtension.class)
abstract class CellApiTest {

    static RunningCell cell;
    static LocalPlatform platform;

    @BeforeAll
    static void startCell(LocalPlatform localPlatform) throws Exception {
        platform = localPlatform;
        cell = new RunningCell(platform.endpoints());
    }

    @AfterAll
    static void stopCell() throws Exception {
        cell.close();
    }
}
