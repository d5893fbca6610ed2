package io.reelset.testing;

import io.reelset.cli.ReelsetCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code reelset} command line in this JVM with captured output. */
public final class InProcessCli {
  private InProcessCli() {}

  /** Exit code and output. */
  public record Result(int code, String out, String err) {}

  public static Result reelset(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = ReelsetCommand.createCommandLine(args); // as main builds it
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
