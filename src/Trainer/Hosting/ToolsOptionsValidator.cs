using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Tools;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Checks the Tools section at start, before a model is loaded: the tool list, each MCP server entry, and what tools
/// do not work with yet: trace pruning (one decode hook per batch) and asynchronous rollouts (the producer thread has
/// no tool session). Remote engines work: the trainer drives their turns (Engines/RemoteTurns). Every message names the key.
/// </summary>
public sealed partial class ToolsOptionsValidator(IOptions<PruningOptions> pruning,
    IOptions<TrainingOptions> training) : IValidateOptions<ToolsOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolsOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<string> Failures(ToolsOptions options)
    {
        const string s = ToolsOptions.Section;
        const string on = $"{s}:Enabled=true";
        if (pruning.ValueOrNull() is { Enabled: true })
            yield return $"{on} does not work with trace pruning yet, but {PruningOptions.Section}:Enabled is true: turn one of them off.";
        if (training.ValueOrNull() is { MaxStaleness: > 0 } t)
            yield return $"{on} does not work with asynchronous rollouts yet, but {TrainingOptions.Section}:MaxStaleness is {t.MaxStaleness}: set it to 0.";
        foreach (var builtIn in options.BuiltIn.Where(b => !ToolSession.BuiltInNames.Contains(b)))
            yield return $"{s}:BuiltIn: unknown tool '{builtIn}'; built-in tools: {string.Join(", ", ToolSession.BuiltInNames)}.";
        if (options.BuiltIn.Count == 0 && options.Mcp.Count == 0)
            yield return $"{on} but no tool is offered: list built-ins in {s}:BuiltIn (\"calculator\") or servers in {s}:Mcp.";
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Mcp.Count; i++)
        {
            var m = options.Mcp[i];
            var key = $"{s}:Mcp:{i}";
            if (!NamePattern().IsMatch(m.Name))
                yield return $"{key}:Name = '{m.Name}': give a name of letters, digits, '_', '-' or '.'.";
            else if (!names.Add(m.Name))
                yield return $"{key}:Name = '{m.Name}': two servers have this name.";
            bool command = !string.IsNullOrWhiteSpace(m.Command), url = !string.IsNullOrWhiteSpace(m.Url);
            if (command == url)
                yield return $"{key}: give exactly one of Command (a stdio server) or Url (an HTTP server).";
            if (url && !(Uri.TryCreate(m.Url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)))
                yield return $"{key}:Url = '{m.Url}': give an absolute http or https URL.";
            if (url && m.Arguments.Count > 0)
                yield return $"{key}:Arguments: only a stdio server (Command) takes arguments.";
            if (m.WorkingDirectory is { Length: > 0 } dir && !Directory.Exists(dir))
                yield return $"{key}:WorkingDirectory = '{dir}': no such folder.";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
