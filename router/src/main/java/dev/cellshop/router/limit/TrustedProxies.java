package dev.cellshop.router.limit;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;

/**
 * The proxies in front of the router whose {@code X-Forwarded-For} says who the client is
 * (limits.trusted-proxies). From any other peer the header is ignored: anyone can write it,
 * and a client that could choose its address would choose a fresh bucket for each request.
 */
public final class TrustedProxies {

    private final List<AddressBlock> blocks;

    private TrustedProxies(List<AddressBlock> blocks) {
        this.blocks = blocks;
    }

    /** From the setting's entries (addresses or CIDR blocks); IllegalArgumentException names a bad one. */
    public static TrustedProxies of(List<String> entries) {
        return new TrustedProxies(entries.stream().map(AddressBlock::parse).toList());
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        for (AddressBlock block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client behind a trusted {@code peer}: the right-most address of {@code forwardedFor}
     * that is not a trusted proxy itself (each proxy appends the address it saw, so entries
     * left of the first untrusted one may be forged); the peer when the header names none.
     */
    public InetAddress client(InetAddress peer, String forwardedFor) {
        if (forwardedFor == null) {
            return peer;
        }
        int end = forwardedFor.length();
        while (end > 0) {
            int comma = forwardedFor.lastIndexOf(',', end - 1);
            String entry = forwardedFor.substring(comma + 1, end).trim();
            end = comma < 0 ? 0 : comma;
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(entry); // a literal or null: no DNS
            if (address == null) {
                return peer; // not an address: what is left of it cannot be trusted either
            }
            if (!contains(address)) {
                return address;
            }
        }
        return peer;
    }
}
