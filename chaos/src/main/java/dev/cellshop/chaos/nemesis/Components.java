package dev.cellshop.chaos.nemesis;

import dev.cellshop.testkit.ComponentStatus;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.faults.LinkMode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.Optional;

/**
 * The platform's processes as {@code ops/cellshop} supervises them: their names and pids
 * ({@code status --json}), a signal to one of them, and a restart ({@code start COMPONENT},
 * which also brings a MariaDB killed with -9 back through its crash recovery), and the mode of
 * a link's fault proxy ({@code links/...}, with {@code CELLSHOP_FAULT_LINKS=1}).
 */
public final class Components {

    /** The prefix of the links' names; a link listens on its port and is switched on the next one (ops/lib/components/link.sh). */
    public static final String LINKS = "links/";

    private static final HttpClient LINK_CONTROL = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final LocalPlatform platform;

    public Components(LocalPlatform platform) {
        this.platform = platform;
    }

    public List<ComponentStatus> status() {
        return platform.status();
    }

    public List<String> names() {
        return status().stream().map(ComponentStatus::name).toList();
    }

    public Optional<Long> pid(String component) {
        return status().stream().filter(c -> c.name().equals(component)).findFirst().map(ComponentStatus::pid);
    }

    /** {@code ops/cellshop start COMPONENT}: waits until it is ready again; its output, or the failure's. */
    public String start(String component) {
        return platform.start(component);
    }

    /** kill -SIGNAL pid; false when the process was already gone. */
    public static boolean signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code POST /link/{mode}} on the link's control port: the mode it answers; throws when the link does not answer 200. */
    public String switchLink(String link, LinkMode mode) {
        ComponentStatus status = status().stream().filter(c -> c.name().equals(link)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no link " + link));
        URI control = URI.create("http://127.0.0.1:" + (status.port() + 1) + "/link/" + mode.name().toLowerCase(Locale.ROOT));
        try {
            HttpResponse<String> answer = LINK_CONTROL.send(HttpRequest.newBuilder(control).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(control + " answered " + answer.statusCode() + ": " + answer.body().strip());
            }
            return answer.body().strip();
        } catch (IOException e) {
            throw new IllegalStateException(control + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(control + ": interrupted", e);
        }
    }
}
