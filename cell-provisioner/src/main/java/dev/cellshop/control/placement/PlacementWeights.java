package dev.cellshop.control.placement;

/**
 * How much each dimension of a cell's use counts in its headroom, in percent; together 100.
 * Load is not measured yet (a later issue feeds it), so until then only shops count in practice.
 */
public record PlacementWeights(int shopsPercent, int loadPercent) {

    public PlacementWeights {
        if (shopsPercent < 0 || loadPercent < 0 || shopsPercent + loadPercent != 100) {
            throw new IllegalArgumentException("placement weights must be >= 0 and add up to 100, got shops="
                    + shopsPercent + " load=" + loadPercent);
        }
    }
}
