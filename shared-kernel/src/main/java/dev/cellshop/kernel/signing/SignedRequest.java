package dev.cellshop.kernel.signing;

import java.util.Objects;

/**
 * What of a request, besides the router's own headers, its signature covers: the request
 * line, the body (by its {@link BodyDigest}) and the two headers whose change would change
 * what a cell does with it.
 *
 * @param method upper-case request method
 * @param pathWithQuery the raw request target as sent on the wire (not decoded)
 * @param bodyDigest the value of {@link RequestSignature#BODY_DIGEST_HEADER}: {@link BodyDigest#NONE}, a digest, or {@link BodyDigest#UNSIGNED}
 * @param authorization the {@code Authorization} header, null when absent (absent and empty are signed differently)
 * @param idempotencyKey the {@code Idempotency-Key} header, null when absent
 */
public record SignedRequest(String method, String pathWithQuery, String bodyDigest, String authorization, String idempotencyKey) {

    /** An absent {@link RequestSignature#BODY_DIGEST_HEADER} is read as empty, which {@link RequestSignature#verify} refuses. */
    public SignedRequest {
        bodyDigest = Objects.requireNonNullElse(bodyDigest, "");
    }

    /** A request without a body, {@code Authorization} or {@code Idempotency-Key} (a GET, the mover's polls). */
    public static SignedRequest bodiless(String method, String pathWithQuery) {
        return new SignedRequest(method, pathWithQuery, BodyDigest.NONE, null, null);
    }
}
