package dev.cellshop.cell.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class StockBucketsTest {

    @Test
    void a_split_spreads_the_whole_figure_evenly_the_first_buckets_taking_the_remainder_and_leaves_the_variant_row_at_zero() {
        StockBuckets.Layout split = StockBuckets.layout(7, 4, 10);

        assertThat(split.buckets()).containsExactly(3, 3, 2, 2);
        assertThat(split.variantRow()).isZero();
        assertThat(split.total()).isEqualTo(10);
    }

    @Test
    void one_bucket_or_none_is_a_merge_onto_the_variant_row() {
        assertThat(StockBuckets.layout(7, 1, 97)).isEqualTo(new StockBuckets.Layout(7, 97, List.of()));
        assertThat(StockBuckets.layout(7, 0, 97)).isEqualTo(new StockBuckets.Layout(7, 97, List.of()));
    }

    @RepeatedTest(20)
    void a_line_tries_buckets_that_had_enough_going_up_from_a_random_one_then_the_variant_row_never_wrapping_round() {
        StockTake.Seen seen = new StockTake.Seen();
        seen.variantRow(5);
        seen.bucket(0, 2);
        seen.bucket(1, 0);
        seen.bucket(2, 3);
        seen.bucket(3, 4);

        List<Integer> order = seen.candidates(2);

        assertThat(order.get(order.size() - 1)).as("the variant row last").isEqualTo(-1);
        assertThat(order.subList(0, order.size() - 1)).as("buckets with at least 2, upwards").isSorted().doesNotContain(1)
                .isSubsetOf(0, 2, 3).contains(3);
        assertThat(seen.total()).isEqualTo(14);
    }
}
