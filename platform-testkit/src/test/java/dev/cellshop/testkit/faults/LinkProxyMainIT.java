package dev.cellshop.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The control channel of a link run as a process, as ops/chaos drives it. */
class LinkProxyMainIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_control_port_switches_the_link_and_answers_its_mode() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LinkProxyMain.Running running = LinkProxyMain.start(LinkProxyMain.options("--listen", "127.0.0.1:0",
                     "--to", "127.0.0.1:" + target.getLocalPort(), "--control", "0"))) {
            String control = "http://127.0.0.1:" + running.controlPort() + "/link";

            assertThat(call("GET", control)).isEqualTo("200 PASS");
            assertThat(call("POST", control + "/blackhole")).isEqualTo("200 BLACKHOLE");
            assertThat(running.link().mode()).isEqualTo(LinkMode.BLACKHOLE);
            assertThat(call("POST", control + "/latency?ms=250")).isEqualTo("200 LATENCY 250");
            assertThat(call("POST", control + "/cut")).isEqualTo("200 CUT");
            assertThat(call("POST", control + "/pass")).isEqualTo("200 PASS");

            assertThat(call("POST", control + "/latency?ms=soon")).isEqualTo("400 400 (the link is PASS)");
            assertThat(call("POST", control + "/sideways")).isEqualTo("404 404 (the link is PASS)");
            assertThat(call("GET", control + "/cut")).isEqualTo("405 405 (the link is PASS)");
        }
    }

    @Test
    void a_missing_option_is_refused() {
        assertThat(LinkProxyMain.options("--listen", "127.0.0.1:0", "--to", "127.0.0.1:1")).isNull();
    }

    private String call(String method, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body().strip();
    }
}
