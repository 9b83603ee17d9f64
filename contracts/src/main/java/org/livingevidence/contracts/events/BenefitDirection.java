package org.livingevidence.contracts.events;

/** Which side of the null value means the intervention is better (a hazard ratio below 1: {@code LOWER}). */
public enum BenefitDirection { LOWER, HIGHER }
