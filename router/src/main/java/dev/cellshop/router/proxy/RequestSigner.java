package dev.cellshop.router.proxy;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.Nonces;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.SignedRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * Adds the router's {@code X-Cellshop-*} headers to one attempt's request head: shop, epoch,
 * timestamp, a fresh nonce, the body's digest and the signature over them, the request line,
 * {@code Authorization} and {@code Idempotency-Key} (scheme in {@link RequestSignature}). Every
 * attempt is signed anew, so a retry after a 421 or a closed connection carries a nonce of
 * its own and the cell does not take it for a replay of the first.
 *
 * <p>One per event loop (its clock text is not shared); per request it allocates the nonce,
 * the signature and their two header values.
 */
final class RequestSigner {

    private static final AsciiString SHOP_ID = AsciiString.cached(RequestSignature.SHOP_ID_HEADER);
    private static final AsciiString EPOCH = AsciiString.cached(RequestSignature.EPOCH_HEADER);
    private static final AsciiString TIMESTAMP = AsciiString.cached(RequestSignature.TIMESTAMP_HEADER);
    private static final AsciiString NONCE = AsciiString.cached(RequestSignature.NONCE_HEADER);
    private static final AsciiString BODY_DIGEST = AsciiString.cached(RequestSignature.BODY_DIGEST_HEADER);
    private static final AsciiString SIGNATURE = AsciiString.cached(RequestSignature.SIGNATURE_HEADER);
    private static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached(RequestSignature.IDEMPOTENCY_KEY_HEADER);

    private final RequestSignature signature;
    private long clockMillis;
    private String clockText;

    RequestSigner(RequestSignature signature) {
        this.signature = signature;
    }

    /** Signs {@code request} (its head already edited for the hop) for {@code shop} at {@code epoch}. */
    void sign(HttpRequest request, ShopId shop, long epoch, String bodyDigest) {
        HttpHeaders headers = request.headers();
        long now = System.currentTimeMillis();
        if (now != clockMillis) {
            clockMillis = now;
            clockText = Long.toString(now);
        }
        String nonce = Nonces.next();
        SignedRequest signed = new SignedRequest(request.method().name(), request.uri(), bodyDigest,
                headers.get(HttpHeaderNames.AUTHORIZATION), headers.get(IDEMPOTENCY_KEY));
        byte[] mac = signature.signAscii(shop, epoch, now, nonce, signed);
        headers.set(SHOP_ID, shop.toString()).set(EPOCH, Long.toString(epoch)).set(TIMESTAMP, clockText)
                .set(NONCE, nonce).set(BODY_DIGEST, bodyDigest)
                .set(SIGNATURE, new AsciiString(mac, false));
    }
}
