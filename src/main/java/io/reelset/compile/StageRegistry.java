package io.reelset.compile;

import io.reelset.spec.StageCatalog;
import io.reelset.spec.StageTypeInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;

/** The stage providers on the classpath, by type name. */
public final class StageRegistry implements StageCatalog {
  private final Map<String, StageProvider<?>> providers;

  private StageRegistry(Map<String, StageProvider<?>> providers) {
    this.providers = Collections.unmodifiableMap(providers);
  }

  /** Every provider listed under {@code META-INF/services} on the current class path. */
  public static StageRegistry discover() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      return of((Iterable<StageProvider<?>>) (Iterable<?>) ServiceLoader.load(StageProvider.class,
          loader != null ? loader : StageRegistry.class.getClassLoader()));
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("a stage provider on the classpath cannot be loaded: " + e.getMessage(), e);
    }
  }

  public static StageRegistry of(Iterable<? extends StageProvider<?>> providers) {
    Map<String, StageProvider<?>> byType = new LinkedHashMap<>();
    for (StageProvider<?> provider : providers) {
      StageProvider<?> other = byType.putIfAbsent(provider.type(), provider);
      if (other != null && other.getClass() != provider.getClass()) {
        throw new IllegalStateException("two stage providers declare type '" + provider.type()
            + "': " + other.getClass().getName() + " and " + provider.getClass().getName());
      }
    }
    return new StageRegistry(byType);
  }

  public StageProvider<?> provider(String type) {
    StageProvider<?> provider = providers.get(type);
    if (provider == null) {
      throw new IllegalArgumentException("unknown stage type '" + type + "'; known types: " + types());
    }
    return provider;
  }

  @Override
  public Optional<StageTypeInfo> find(String type) {
    return Optional.ofNullable(providers.get(type)).map(StageProvider::info);
  }

  @Override
  public SortedSet<String> types() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(providers.keySet()));
  }
}
