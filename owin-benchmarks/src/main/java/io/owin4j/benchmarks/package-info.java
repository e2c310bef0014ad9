/** Benchmarks: JMH micro benchmarks and the servers that the load comparison drives. */
@NullMarked
package io.owin4j.benchmarks;

import org.jspecify.annotations.NullMarked;
