package org.livingevidence.benchmarks.load;

/** One measurement the driver can make; it prints its figures. */
interface Scenario {
    void run(Stack stack, Arguments arguments) throws Exception;
}
