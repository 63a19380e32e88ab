/**
 * Network faults for tests: a {@link dev.cellshop.testkit.faults.LinkProxy} sits on one link
 * (a component to ZooKeeper, MySQL, Redis or Kafka) so a test breaks that link and leaves the
 * shared stores running for everything else. {@code LinkProxyMain} runs one in its own process
 * for tools that break links between real platform processes (ops/chaos).
 *
 * <p>Modes, and what each does to the connections open when it is set and to new ones:
 * <pre>
 *   mode        open connections                      new connections
 *   PASS        forwarded both ways                   connected to the target, forwarded
 *   CUT         closed at once, both sides            accepted and closed at once
 *   BLACKHOLE   nothing forwarded, nothing closed;    accepted, never connected to the target
 *               the sender's window fills up          until the link heals; nothing forwarded
 *   LATENCY     every chunk sent its delay after it   as open ones
 *               was read, in each direction
 * </pre>
 * Any mode may follow any other. Leaving BLACKHOLE for PASS or LATENCY resumes the held
 * connections where they stopped, nothing lost, as TCP does when a partition heals; leaving it
 * for CUT closes them. Leaving CUT closes nothing and opens nothing: clients reconnect.
 *
 * <p>Why no library: Toxiproxy needs its Go server; NetCrusher (pure Java NIO) has had no
 * release since 0.10 and its blocking-free reactor is far more than two threads per direction.
 */
package dev.cellshop.testkit.faults;
