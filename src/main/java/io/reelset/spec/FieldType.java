package io.reelset.spec;

/** The type of a stage config field, as a user reads it in the schema and in messages. */
public enum FieldType {
  STRING("a string"),
  INTEGER("an integer"),
  NUMBER("a number"),
  BOOLEAN("a boolean (true or false)"),
  CHOICE("one of the listed words"),
  LIST("a list"),
  OBJECT("a mapping"),
  ANY("any value");

  private final String article;

  FieldType(String article) {
    this.article = article;
  }

  /** The type with its article, e.g. {@code an integer}. */
  public String withArticle() {
    return article;
  }
}
