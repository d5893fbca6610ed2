package io.reelset.spec;

import java.io.Serializable;

/** The typed config of a stage that takes no settings. */
public record NoConfig() implements Serializable {}
