package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.compile.StageRegistry;
import io.reelset.spec.ConfigField;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.StageTypeInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code reelset stages [TYPE]}: lists the stage types and the config fields each accepts, the
 * fields of a nested mapping ({@code sampling}, {@code dedupe}, ...) indented under it.
 */
@Command(name = "stages", mixinStandardHelpOptions = true, description = "List the stage types on the classpath and their config fields.")
final class StagesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "TYPE", description = "Show only this stage type.")
  String type;

  @Override
  public Integer call() {
    StageRegistry registry = StageRegistry.discover();
    PrintWriter out = spec.commandLine().getOut();
    if (type != null && registry.find(type).isEmpty()) {
      spec.commandLine().getErr().println("unknown stage type '" + type + "'; known types: "
          + String.join(", ", registry.types()));
      return ExitCodes.BAD_INPUT;
    }
    if (registry.types().isEmpty()) {
      out.println("no stage types on the classpath");
    }
    for (String name : registry.types()) {
      if (type != null && !type.equals(name)) {
        continue;
      }
      StageTypeInfo info = registry.find(name).orElseThrow();
      out.printf("%s: %s%n  reads: %s; produces: %s%n", name, info.description(),
          info.isSource() ? "nothing (a source)" : String.join(" or ", info.inputKinds()),
          info.passesInputOn() ? "what it reads, with more attached" : info.outputKind());
      print(out, info.schemaWithCommonFields(), 1);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The fields of {@code schema}, and under a mapping its own fields, indented a level further. */
  private static void print(PrintWriter out, ConfigSchema schema, int level) {
    String indent = "  ".repeat(level);
    for (ConfigField field : schema.fields().values()) {
      out.printf("%s%-" + Math.max(1, 20 - indent.length()) + "s %s. %s%n", indent, field.name(), field.summary(),
          field.description());
      if (field.nested() != null) {
        print(out, field.nested(), level + 1);
      }
    }
  }
}
