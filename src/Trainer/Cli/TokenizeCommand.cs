using System.CommandLine;
using System.Text;
using System.Text.Json;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer tokenize --tokenizer DIR`: JSONL {"text": ...} on standard input to JSONL {"ids": [...]} on standard
/// output, one line per input line in order, raw text with no special tokens added. A bad line is reported on
/// standard error with its line number and produces no output line; the others are still processed, and the exit
/// code is 1 if any line was bad (2 when the tokenizer cannot be loaded). Blank lines are skipped.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizerOption = new Option<string>("--tokenizer")
        {
            Description = "Model directory holding tokenizer.json (and tokenizer_config.json).",
            Required = true,
        };
        var command = new Command("tokenize", "Tokenize JSONL {\"text\": ...} from standard input into JSONL {\"ids\": [...]}.");
        command.Options.Add(tokenizerOption);
        command.SetAction(parseResult =>
        {
            using var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
            return Run(parseResult.GetValue(tokenizerOption)!, input, output, Console.Error);
        });
        return command;
    }

    /// <summary>Runs the command on the given streams; returns the exit code.</summary>
    internal static int Run(string tokenizerDir, TextReader input, TextWriter output, TextWriter error)
    {
        HfTokenizer tokenizer;
        try
        {
            tokenizer = HfTokenizer.Load(tokenizerDir);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ErrorReport.Write(e, error, verbose: false); // a missing or bad tokenizer folder: exit 2
        }

        var badLines = 0;
        var lineNumber = 0;
        var line = new StringBuilder();
        while (input.ReadLine() is { } text)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!TryReadText(text, out var value, out var problem))
            {
                error.WriteLine($"tokenize: line {lineNumber}: {problem}");
                badLines++;
                continue;
            }
            line.Clear().Append("{\"ids\":[");
            var ids = tokenizer.Encode(value);
            for (var i = 0; i < ids.Count; i++)
            {
                if (i > 0) line.Append(',');
                line.Append(ids[i]);
            }
            output.WriteLine(line.Append("]}"));
        }
        output.Flush();
        if (badLines > 0) error.WriteLine($"tokenize: {badLines} of {lineNumber} lines could not be read");
        return badLines > 0 ? 1 : 0;
    }

    private static bool TryReadText(string line, out string text, out string problem)
    {
        text = "";
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
            {
                text = value.GetString()!;
                problem = "";
                return true;
            }
            problem = "expected an object with a string field \"text\"";
            return false;
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON ({e.Message})";
            return false;
        }
    }
}
