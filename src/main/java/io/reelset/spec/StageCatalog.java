package io.reelset.spec;

import java.util.Optional;
import java.util.SortedSet;

/** The stage types a pipeline may use; the compiler's provider registry is one. */
public interface StageCatalog {

  Optional<StageTypeInfo> find(String type);

  SortedSet<String> types();
}
