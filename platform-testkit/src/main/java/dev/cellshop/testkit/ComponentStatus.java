package dev.cellshop.testkit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One line of `ops/cellshop status --json`. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComponentStatus(String name, Long pid, int port, boolean up) {
}
