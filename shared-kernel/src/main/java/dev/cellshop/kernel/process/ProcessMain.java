package dev.cellshop.kernel.process;

import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.config.ConfigException;
import dev.cellshop.kernel.config.ConfigSpec;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of every cellshop server process: {@code java -jar X.jar [config.properties]}.
 * Loads and validates the typed configuration (a bad setting stops the start, naming the
 * key), deploys the process's verticle, and undeploys it on SIGTERM so in-flight work finishes.
 */
public final class ProcessMain {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMain.class);

    private ProcessMain() {
    }

    public static void run(String process, ConfigSpec spec, String[] args, Function<Config, Deployable> verticle) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: java -jar " + process + ".jar [config.properties]\n"
                    + "Settings (file keys; CELLSHOP_<KEY> environment variables override):\n\n" + spec.describe());
            return;
        }
        Config config;
        try {
            config = spec.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        } catch (ConfigException e) {
            System.err.println(process + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        // Netty's native epoll transport where its library is on the class path (the router's):
        // fewer system calls and no selector garbage per event than the JDK's NIO selector.
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        // unsafe=false on JDK 24+ means the JVM was started without --sun-misc-unsafe-memory-access=allow
        // (ops/lib/jdk.sh server_jvm_opts): Netty then takes slower paths for its buffers.
        LOG.info("event=transport process={} native={} unsafe={}", process, vertx.isNativeTransportEnabled(),
                io.netty.util.internal.PlatformDependent.hasUnsafe());
        vertx.deployVerticle(verticle.apply(config))
                .onSuccess(id -> Runtime.getRuntime().addShutdownHook(new Thread(
                        () -> vertx.close().toCompletionStage().toCompletableFuture().join(), "shutdown")))
                .onFailure(e -> {
                    LOG.error("event=start_failed process={} error=\"{}\"", process, e.getMessage());
                    vertx.close().onComplete(done -> System.exit(1));
                });
    }
}
