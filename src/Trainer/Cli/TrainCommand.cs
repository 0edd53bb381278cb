using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Hosting;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer train --config FILE [--Section:Key=value ...]`: the hosted training service. Configuration layers, later
/// wins: the JSON file, environment variables RLTRAINER__Section__Key, command-line --Section:Key=value.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Run configuration (JSON; see configs/quickstart.json).", Required = true };
        var resume = new Option<string?>("--resume") { Description = "'latest' or a checkpoint folder (same as --Checkpoint:Resume)." };
        var command = new Command("train", "Train a policy with RL (runs as a hosted service; Ctrl-C / SIGTERM checkpoint and stop). Extra --Section:Key=value arguments override the config.")
            { config, resume };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(r =>
        {
            var overrides = r.UnmatchedTokens.ToList();
            if (r.GetValue(resume) is { } res) overrides.Add($"--Checkpoint:Resume={res}");
            return Run(r.GetValue(config)!, overrides.ToArray());
        });
        return command;
    }

    /// <summary>
    /// The configured host, its options validated. Bad configuration (a missing or invalid file, an unknown key, a
    /// wrong type or value) throws <see cref="BadInputException"/>, each line naming where the key was set.
    /// </summary>
    public static IHost BuildHost(string configFile, string[] overrides)
    {
        CheckOverrides(overrides);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration
            .AddJsonConfigFile(configFile, "--config")
            .AddEnvironmentVariables("RLTRAINER__")
            .AddCommandLine(overrides);
        var origin = new ConfigurationOrigin(builder.Configuration, configFile);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        // A service that fails to start (the telemetry port is taken) is reported once by CommandLineApp, without the
        // frames the host would log with it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // Progress lines on stdout; warnings and errors on stderr, where scripts and systemd look for them.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Warning);
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        // Every key is checked against the sections the host binds before it binds them.
        ConfigurationKeyCheck.ThrowIfInvalid(builder.Configuration, OptionsSections.Of(AddRunServices(builder.Services)), origin);
        var host = builder.Build();
        try
        {
            // What the host would check when it starts, checked now: its failure would be logged with a stack trace.
            host.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception e) when (ValidationFailures(e) is { } failures)
        {
            host.Dispose();
            throw new BadInputException(string.Join(Environment.NewLine, failures.Select(origin.Prefix)), e);
        }
        return host;
    }

    /// <summary>The options sections a run config may hold: those the host's AddX calls register, made by the same calls
    /// on an empty collection (for checks of a config that builds no host).</summary>
    public static OptionsSections RunSections() => OptionsSections.Of(AddRunServices(new ServiceCollection()));

    private static IServiceCollection AddRunServices(IServiceCollection services) => services.AddRollout().AddRewards().AddTrainer();

    /// The start-up validator throws one OptionsValidationException for one failing section, an AggregateException of
    /// them for several; null for anything else.
    private static IEnumerable<string>? ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException o => o.Failures,
        AggregateException a when a.InnerExceptions.All(i => i is OptionsValidationException) =>
            a.InnerExceptions.Cast<OptionsValidationException>().SelectMany(o => o.Failures),
        _ => null,
    };

    /// <summary>Trains; failures reach <see cref="CommandLineApp"/> as exceptions, which gives the exit code.</summary>
    private static int Run(string configFile, string[] overrides)
    {
        using var host = BuildHost(configFile, overrides);
        var outcome = host.Services.GetRequiredService<TrainingOutcome>();
        host.Run(); // disposes the host
        outcome.ThrowIfFailed();
        return ExitCodes.Success;
    }

    private static readonly string[] Options = { "config", "resume", "verbose", "help" };

    /// The configuration's command-line provider skips what it cannot read; here each extra argument must be an override.
    private static void CheckOverrides(string[] overrides)
    {
        for (int i = 0; i < overrides.Length; i++)
        {
            var a = overrides[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
                throw new BadInputException($"train: unexpected argument '{a}'; overrides are --Section:Key=value.");
            var key = a[2..].Split('=')[0];
            if (!key.Contains(':', StringComparison.Ordinal))
            {
                var hint = ClosestName.Find(key, Options) is { } o ? $"; did you mean --{o}?" : "";
                throw new BadInputException($"train: unknown option '--{key}'{hint} (overrides are --Section:Key=value).");
            }
            if (!a.Contains('=', StringComparison.Ordinal) && (i + 1 == overrides.Length || overrides[i + 1].StartsWith("--", StringComparison.Ordinal)))
                throw new BadInputException($"train: '{a}' has no value; write {a}=VALUE.");
            if (!a.Contains('=', StringComparison.Ordinal)) i++; // "--Key value"
        }
    }
}
