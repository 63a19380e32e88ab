package dev.cellshop.kernel.placement;

/**
 * How much a cell may take: the placer stops choosing a cell at either limit.
 *
 * @param maxShops how many shops may be placed on the cell
 * @param maxLoad  the load (in the units the control plane measures, e.g. requests per
 *                 second) above which the cell is considered full
 */
public record Capacity(int maxShops, double maxLoad) {

    public Capacity {
        if (maxShops <= 0) {
            throw new IllegalArgumentException("Capacity maxShops must be positive, got " + maxShops);
        }
        // written as !(x > 0) so NaN is refused too
        if (!(maxLoad > 0) || Double.isInfinite(maxLoad)) {
            throw new IllegalArgumentException("Capacity maxLoad must be a positive finite number, got " + maxLoad);
        }
    }
}
