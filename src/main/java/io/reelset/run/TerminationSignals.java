package io.reelset.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM, SIGINT and SIGHUP handled by the run, not by the JVM's shutdown. On these signals the
 * JVM would run every shutdown hook at once, and ONNX Runtime registers one
 * ({@code OrtEnvironment}'s closer) that releases its native environment while a worker may still
 * be creating a session or running one: the process then crashes (SIGSEGV, exit 134; seen in CI
 * when {@code reelset cancel} came as segmentation loaded its model). Here the handler runs
 * alone: it stops the run, waits for loads and inferences to end, and halts the JVM itself, so no
 * hook runs. A signal the process ignores (a run started under {@code nohup}) stays ignored.
 */
final class TerminationSignals implements AutoCloseable {
  private static final List<String> NAMES = List.of("TERM", "INT", "HUP");
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

  private TerminationSignals() {}

  /** Handles the signals with {@code onSignal}, on each, until {@link #close}. */
  static TerminationSignals handle(Runnable onSignal) {
    TerminationSignals signals = new TerminationSignals();
    SignalHandler handler = signal -> onSignal.run();
    for (String name : NAMES) {
      Signal signal = new Signal(name);
      try {
        SignalHandler before = Signal.handle(signal, handler);
        signals.previous.put(signal, before);
        if (before == SignalHandler.SIG_IGN) {
          Signal.handle(signal, SignalHandler.SIG_IGN);
        }
      } catch (IllegalArgumentException notHandled) {
        // a signal this JVM does not let code handle (-Xrs): its default stays, the shutdown hook covers it
      }
    }
    return signals;
  }

  /** Gives the signals back to the handlers they had. */
  @Override
  public void close() {
    previous.forEach((signal, before) -> {
      try {
        Signal.handle(signal, before);
      } catch (IllegalArgumentException ignored) {
        // as in handle
      }
    });
  }
}
