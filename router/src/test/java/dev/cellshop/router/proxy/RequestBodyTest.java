package dev.cellshop.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private static final long MAX = 1000;
    private static final int REPLAY = 100;

    private static HttpRequest request(HttpMethod method, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/api/v1/carts");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    @Test
    void a_small_declared_body_is_kept_so_even_a_post_can_be_sent_again_after_a_421() {
        RequestBody body = RequestBody.of(request(HttpMethod.POST, "Content-Length", "100"), REPLAY);
        assertThat(body.keep()).isTrue();
        assertThat(body.resendable()).isTrue();
        assertThat(body.replayable()).as("a closed connection may have run it: not without a key").isFalse();
        assertThat(body.refusal(request(HttpMethod.POST), MAX)).isNull();
    }

    @Test
    void a_larger_body_streams_and_is_never_sent_twice() {
        RequestBody large = RequestBody.of(request(HttpMethod.PUT, "Content-Length", "101"), REPLAY);
        assertThat(large.keep()).isFalse();
        assertThat(large.replayable()).isFalse();
        assertThat(large.chunkedToCell()).isFalse();
    }

    @Test
    void a_chunked_body_is_kept_to_be_signed_until_it_outgrows_the_replay_limit_then_streams_chunked() {
        RequestBody chunked = RequestBody.of(request(HttpMethod.PUT, "Transfer-Encoding", "chunked"), REPLAY);
        assertThat(chunked.chunked()).isTrue();
        assertThat(chunked.keep()).isTrue();
        assertThat(chunked.chunkedToCell()).as("a kept body goes with its length").isFalse();
        RequestBody outgrown = chunked.streamed();
        assertThat(outgrown.keep()).isFalse();
        assertThat(outgrown.resendable()).isFalse();
        assertThat(outgrown.replayable()).isFalse();
        assertThat(outgrown.chunkedToCell()).isTrue();
    }

    @Test
    void bodiless_idempotent_and_keyed_requests_may_be_repeated() {
        assertThat(RequestBody.of(request(HttpMethod.GET), REPLAY).replayable()).isTrue();
        assertThat(RequestBody.of(request(HttpMethod.POST), REPLAY).replayable()).isFalse();
        assertThat(RequestBody.of(request(HttpMethod.POST, "Idempotency-Key", "k1", "Content-Length", "10"), REPLAY)
                .replayable()).isTrue();
    }

    @Test
    void a_declared_body_over_the_limit_gets_413_and_a_length_that_is_no_number_400() {
        HttpRequest tooLarge = request(HttpMethod.POST, "Content-Length", "1001");
        HttpRequest garbled = request(HttpMethod.POST, "Content-Length", "12x");
        assertThat(RequestBody.of(tooLarge, REPLAY).refusal(tooLarge, MAX).status()).isEqualTo(413);
        assertThat(RequestBody.of(tooLarge, REPLAY).refusal(tooLarge, MAX).detail()).contains("1001").contains("1000");
        assertThat(RequestBody.of(garbled, REPLAY).refusal(garbled, MAX).status()).isEqualTo(400);
    }

    @Test
    void a_transfer_encoding_other_than_chunked_alone_is_refused_and_ends_the_connection() {
        for (String coding : new String[] {"gzip", "chunked, gzip", "gzip, chunked", "identity", "chunked, chunked"}) {
            RequestBody body = RequestBody.of(request(HttpMethod.POST, "Transfer-Encoding", coding), REPLAY);
            assertThat(body.framed()).as(coding).isFalse();
            assertThat(body.present()).as(coding).isFalse();
            assertThat(body.refusal(request(HttpMethod.POST, "Transfer-Encoding", coding), MAX).status()).as(coding).isEqualTo(400);
        }
        RequestBody twoHeaders = RequestBody.of(request(HttpMethod.POST, "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"), REPLAY);
        assertThat(twoHeaders.framed()).isFalse();
        assertThat(RequestBody.of(request(HttpMethod.POST, "Transfer-Encoding", "Chunked"), REPLAY).chunked()).isTrue();
    }

    @Test
    void content_length_with_transfer_encoding_is_refused() {
        HttpRequest both = request(HttpMethod.POST, "Content-Length", "5", "Transfer-Encoding", "chunked");
        RequestBody body = RequestBody.of(both, REPLAY);
        assertThat(body.framed()).isFalse();
        assertThat(body.refusal(both, MAX).status()).isEqualTo(400);
        assertThat(body.refusal(both, MAX).detail()).contains("Content-Length").contains("Transfer-Encoding");
    }
}
