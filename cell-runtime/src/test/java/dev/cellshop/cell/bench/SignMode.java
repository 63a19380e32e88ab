package dev.cellshop.cell.bench;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** {@code sign}: prints the headers of one signed request for wrk (valid for the runtime's max skew, 30 s by default). */
final class SignMode {

    private SignMode() {
    }

    static void run(BenchOptions opt) throws Exception {
        Properties p = opt.props();
        ShopId shop = ShopId.of(Long.parseLong(p.getProperty("shopId")));
        long now = System.currentTimeMillis();
        RequestSignature signature = new RequestSignature(p.getProperty("secret").getBytes(StandardCharsets.UTF_8));
        Results.out("shop", shop.value());
        Results.out("epoch", SignedCellClient.EPOCH);
        Results.out("timestamp", now);
        // A signed read: wrk repeats it for the whole run (reads are not checked for replays, writes are).
        var headers = signature.headers(shop, SignedCellClient.EPOCH, now, SignedRequest.bodiless(opt.get("method", "GET"), opt.need("path")));
        Results.out("nonce", headers.get(RequestSignature.NONCE_HEADER));
        Results.out("bodyDigest", headers.get(RequestSignature.BODY_DIGEST_HEADER));
        Results.out("signature", headers.get(RequestSignature.SIGNATURE_HEADER));
    }
}
