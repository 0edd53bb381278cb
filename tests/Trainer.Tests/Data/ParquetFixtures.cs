using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

/// <summary>
/// The DuckDB-written files of Fixtures/parquet (tools/parquet-fixtures/write-fixtures.mjs) and their rows, restated
/// here by hand from the script's input rather than read back with our reader.
/// </summary>
internal static class ParquetFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "parquet");

    public static string File(string name) => Path.Combine(Folder, name);

    private static ChatMessage User(string content) => new("user", content);

    /// <summary>The seven rows of verl_{zstd,snappy,gzip,uncompressed}.parquet and split/part-*.parquet.</summary>
    public static readonly (ChatMessage[] Prompt, string Truth, string Source, string? Ability, string? Target, long? ExtraIndex, string? Split)[] VerlRows =
    [
        ([User("What is 2 + 3?")], "5", "openai/gsm8k", "math", "2 + 3 = 5. \\boxed{5}", 0, "train"),
        ([new("system", "You are a careful solver."), User("What is 7 * 6?")], "42", "openai/gsm8k", "math", "7 * 6 = 42. \\boxed{42}", 1, "train"),
        ([User("Simplify $\\frac{4}{6}$.")], "\\frac{2}{3}", "lighteval/MATH", "math", null, 2, "train"),
        ([User("Compute $3^2$.")], "9", "lighteval/MATH", "math", "3^2 = 9. \\boxed{9}", 3, "test"),
        ([User("Sam has 23 apples and buys 45 more. How many apples does Sam have now?")], "68", "arith", "math", "23 + 45 = 68. \\boxed{68}", 4, "train"),
        ([User("Unicode ÿ 数 é: what is the largest of 3, 9, 4?")], "9", "general_max", "general", null, 5, "train"),
        ([User("A\nmultiline prompt with \"quotes\" and a\ttab?")], "0", "arith", null, null, null, null),
    ];

    public static List<RlExample> ReadAll(DataOptions options) => new ParquetExampleReader(options).ReadExamples().ToList();

    public static List<RlExample> ReadAll(string file, DataShape shape = DataShape.Auto, NullHandling nulls = NullHandling.Error) =>
        ReadAll(new DataOptions { Files = [File(file)], Shape = shape, Nulls = nulls });
}
