package dev.cellshop.control.mover;

import java.io.Serializable;

/**
 * One row change of the moving shop, decoded from the binlog: the full before and after
 * images (binlog_row_image=FULL), in the table's column order. Insert has no before,
 * delete no after. An update whose shop_id changes carries the side that is not the
 * shop's as null: moving a row out of the shop is a delete here, into it an insert.
 */
public record RowChange(ShopTable table, Serializable[] before, Serializable[] after) {

    public boolean isDelete() {
        return after == null;
    }
}
