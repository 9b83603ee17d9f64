package org.livingevidence.contracts.events;

/** Population, intervention, comparator and outcome of an evidence question. */
public record Pico(String population, String intervention, String comparator, String outcome) {
}
