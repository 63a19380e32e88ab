package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every verb of the control plane's API needs the platform token. */
@ExtendWith(LocalPlatformExtension.class)
class PlatformTokenIT {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"POST|/v1/shops", "GET|/v1/shops/1", "GET|/v1/cells", "POST|/v1/cells",
            "GET|/v1/cells/cell-a", "POST|/v1/cells/cell-a/drain", "POST|/v1/cells/cell-a/retire", "GET|/v1/topology",
            "GET|/v1/audit", "POST|/v1/rebalance", "GET|/v1/rebalance", "GET|/v1/nothing-here"})
    void without_the_platform_token_every_verb_is_refused_with_401_problem_json(String method, String path,
                                                                                PlatformEndpoints platform) {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        String body = method.equals("POST") ? "{\"name\":\"x\",\"domain\":\"no-token.cellshop.test\"}" : null;

        for (String token : new String[] {null, "not-the-platform-token-but-long-enough-to-look-like-it"}) {
            ControlPlaneApi.Reply reply = api.call(method, path, body, token);
            assertThat(reply.status()).as(method + " " + path + " with token " + token).isEqualTo(401);
            assertThat(reply.raw().headers().firstValue("Content-Type")).contains("application/problem+json");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"name\":\"x\"}|422", "{\"name\":\"x\",\"domain\":\"bad_domain\"}|422",
            "{\"name\":\"x\",\"domain\":\"unknown-cell.cellshop.test\",\"cell\":\"cell-z\"}|404", "{not json|400"})
    void bad_shop_requests_get_a_problem_naming_what_is_wrong(String body, int status, PlatformEndpoints platform) {
        ControlPlaneApi.Reply reply = new ControlPlaneApi(platform).call("POST", "/v1/shops", body, platform.platformToken());

        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().get("detail").asText()).isNotBlank();
    }
}
