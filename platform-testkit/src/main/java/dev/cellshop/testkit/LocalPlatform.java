package dev.cellshop.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real local platform for integration tests, driven through the very launcher people
 * use ({@code ops/cellshop}), never a second copy of it.
 *
 * <p>It runs on its own state directory and port block (default {@code .cellshop-test/},
 * ports from 23000), so it never clashes with a developer's {@code ops/cellshop up}
 * (13000 and 8080/8090). {@code ops/test} starts it once per test run and tears it down
 * whatever the outcome; a test started any other way (an IDE, a bare {@code mvn verify})
 * finds it down, starts it, and stops it again when the JVM exits.
 */
public final class LocalPlatform {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_TEST_PORT_BASE = 23000;
    private static LocalPlatform shared;

    private final Path repo;
    private final Path stateDir;
    private final Map<String, String> environment;

    LocalPlatform(Path repo, Path stateDir, int portBase) {
        this.repo = repo;
        this.stateDir = stateDir;
        this.environment = Map.of(
                "CELLSHOP_STATE_DIR", stateDir.toString(),
                "CELLSHOP_PORT_BASE", Integer.toString(portBase),
                "CELLSHOP_ROUTER_PORT", Integer.toString(portBase + 80),
                "CELLSHOP_CONTROL_PORT", Integer.toString(portBase + 90));
    }

    /** The platform of this test run, started on first use if it is not up yet. */
    public static synchronized LocalPlatform shared() {
        if (shared == null) {
            Path repo = findRepo();
            String state = System.getenv("CELLSHOP_STATE_DIR");
            String base = System.getenv("CELLSHOP_PORT_BASE");
            LocalPlatform platform = new LocalPlatform(repo,
                    state != null ? Path.of(state) : repo.resolve(".cellshop-test"),
                    base != null ? Integer.parseInt(base) : DEFAULT_TEST_PORT_BASE);
            if (!platform.allUp()) {
                platform.up();
                Runtime.getRuntime().addShutdownHook(new Thread(platform::down, "local-platform-down"));
            }
            shared = platform;
        }
        return shared;
    }

    /**
     * A platform of its own state directory and port block (router on base+80, control plane on
     * base+90, as under {@code ops/test}), for tools such as {@code ops/chaos} that run one beside
     * the test platform.
     */
    public static LocalPlatform at(Path stateDir, int portBase) {
        return new LocalPlatform(findRepo(), stateDir, portBase);
    }

    public PlatformEndpoints endpoints() {
        try {
            return JSON.readValue(stateDir.resolve("platform.json").toFile(), PlatformEndpoints.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the platform's endpoints in " + stateDir, e);
        }
    }

    public Path stateDir() {
        return stateDir;
    }

    public String up() {
        return run("up");
    }

    public String down() {
        return run("down");
    }

    /** Stops one component ({@code kafka}, {@code cell-a/redis}, ...) for fault injection; a no-op when it is down. */
    public String stop(String component) {
        return run("stop", component);
    }

    /** Starts one component again and waits until it is ready; a no-op when it is up. */
    public String start(String component) {
        return run("start", component);
    }

    public List<ComponentStatus> status() {
        try {
            JsonNode components = JSON.readTree(run("status", "--json")).get("components");
            List<ComponentStatus> result = new ArrayList<>();
            for (JsonNode component : components) {
                result.add(JSON.treeToValue(component, ComponentStatus.class));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean allUp() {
        return status().stream().allMatch(ComponentStatus::up);
    }

    /** Runs {@code ops/cellshop args...} against this platform; its output, or an exception carrying it. */
    public String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("ops/cellshop").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new PlatformCommandException("ops/cellshop " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new PlatformCommandException("ops/cellshop " + String.join(" ", args)
                        + " failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformCommandException("interrupted while running ops/cellshop " + String.join(" ", args));
        }
    }

    /** The checkout's root: CELLSHOP_REPO (set by the build), else the nearest parent holding ops/cellshop. */
    static Path findRepo() {
        String fromBuild = System.getenv("CELLSHOP_REPO");
        if (fromBuild != null && Files.isExecutable(Path.of(fromBuild, "ops/cellshop"))) {
            return Path.of(fromBuild).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("ops/cellshop"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find ops/cellshop above " + Path.of("").toAbsolutePath()
                + "; run the tests from inside the cellshop checkout or set CELLSHOP_REPO");
    }
}
