package dev.cellshop.testkit.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * One {@link LinkProxy} as a process, for tools that break links between real platform
 * processes (ops/chaos): start a component with the proxy's address in place of its store's,
 * then switch the link over HTTP on the loopback control port:
 * <pre>
 *   java -cp platform-testkit.jar dev.cellshop.testkit.faults.LinkProxyMain \
 *        --listen 127.0.0.1:24181 --to 127.0.0.1:24081 --control 24182
 *   curl -X POST 127.0.0.1:24182/link/blackhole     # also pass, cut, latency?ms=200
 *   curl 127.0.0.1:24182/link                       # "BLACKHOLE"
 * </pre>
 * Prints one line once listening ({@code link <listen> -> <target> control <port>}) and runs
 * until killed. Every answer is the link's mode, as {@code GET /link} gives it.
 */
public final class LinkProxyMain {

    private LinkProxyMain() {
    }

    /** A started link and its control server. */
    record Running(LinkProxy link, HttpServer control) implements AutoCloseable {

        int controlPort() {
            return control.getAddress().getPort();
        }

        @Override
        public void close() {
            control.stop(0);
            link.close();
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = options(args);
        if (options == null) {
            System.err.println("usage: LinkProxyMain --listen HOST:PORT --to HOST:PORT --control PORT");
            System.exit(2);
        }
        Running running = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        System.out.printf("link %s -> %s control %d%n", running.link().address(), options.get("--to"), running.controlPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    static Running start(Map<String, String> options) throws IOException {
        LinkProxy link = new LinkProxy(LinkProxy.hostPort(options.get("--listen")), LinkProxy.hostPort(options.get("--to")));
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(options.get("--control"))), 16);
        control.createContext("/link", exchange -> answer(exchange, link));
        control.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        control.start();
        return new Running(link, control);
    }

    private static void answer(HttpExchange exchange, LinkProxy link) throws IOException {
        String action = exchange.getRequestURI().getPath().substring("/link".length());
        String query = exchange.getRequestURI().getQuery();
        int status = 200;
        try {
            if (!action.isEmpty() && !exchange.getRequestMethod().equals("POST")) {
                status = 405;
            } else {
                switch (action) {
                    case "", "/" -> { }
                    case "/pass" -> link.pass();
                    case "/cut" -> link.cut();
                    case "/blackhole" -> link.blackhole();
                    case "/latency" -> link.latency(Duration.ofMillis(millis(query)));
                    default -> status = 404;
                }
            }
        } catch (IllegalArgumentException badQuery) {
            status = 400;
        }
        String mode = link.mode() == LinkMode.LATENCY ? "LATENCY " + link.latency().toMillis() : link.mode().name();
        byte[] body = (status == 200 ? mode : status + " (the link is " + mode + ")").concat("\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static long millis(String query) {
        if (query == null || !query.startsWith("ms=")) {
            throw new IllegalArgumentException("expected ?ms=N");
        }
        return Long.parseLong(query.substring(3)); // NumberFormatException is an IllegalArgumentException
    }

    /** The options, or null when one is missing. */
    static Map<String, String> options(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options.keySet().containsAll(List.of("--listen", "--to", "--control")) ? options : null;
    }
}
