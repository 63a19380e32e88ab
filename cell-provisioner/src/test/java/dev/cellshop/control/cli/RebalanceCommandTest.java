package dev.cellshop.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RebalanceCommandTest {

    private static String printed(String json) {
        StringWriter text = new StringWriter();
        RebalanceCommand.print(new PrintWriter(text), Json.read(json, JsonNode.class));
        return text.toString();
    }

    @Test
    void the_plan_prints_each_cell_before_and_after_the_level_and_each_move_in_order() {
        String out = printed("""
                {"rebalanceId":"rebalance-1","dryRun":true,"level":0.25,"tolerance":0.05,"maxMoves":20,"capped":false,"balanced":true,
                 "cells":[{"cellId":"cell-a","maxShops":10,"shopsBefore":0,"shopsAfter":2,"utilisationBefore":0.0,"utilisationAfter":0.2,"levelAfter":true},
                          {"cellId":"cell-r","maxShops":10,"shopsBefore":5,"shopsAfter":3,"utilisationBefore":0.5,"utilisationAfter":0.3,"levelAfter":true}],
                 "moves":[{"shopId":"42","from":"cell-r","to":"cell-a"},{"shopId":"41","from":"cell-r","to":"cell-a"}]}""");

        assertThat(out).contains("""
                CELL    MAX  SHOPS   UTILISATION     LEVEL
                cell-a  10   0 -> 2  0.0% -> 20.0%   yes
                cell-r  10   5 -> 3  50.0% -> 30.0%  yes
                level 25.0% (all shops over all capacity of the ACTIVE cells), tolerance 5.0% or one shop
                #  SHOP  FROM    TO
                1  42    cell-r  cell-a
                2  41    cell-r  cell-a
                2 move(s) planned (dry run: nothing moves)""");
    }

    @Test
    void a_plan_without_moves_says_whether_the_cells_are_level_or_nothing_can_help() {
        String level = "{\"level\":0.5,\"tolerance\":0.05,\"balanced\":true,\"cells\":[],\"moves\":[]}";
        String stuck = "{\"level\":0.5,\"tolerance\":0.05,\"balanced\":false,\"cells\":[],\"moves\":[]}";

        assertThat(printed(level)).contains("already level: nothing to move");
        assertThat(printed(stuck)).contains("no move helps");
    }
}
