using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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

    public static IHost BuildHost(string configFile, string[] overrides)
    {
        if (!File.Exists(configFile)) throw new FileNotFoundException($"--config '{configFile}': file not found.", configFile);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration
            .AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false)
            .AddEnvironmentVariables("RLTRAINER__")
            .AddCommandLine(overrides);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // Progress lines on stdout; warnings and errors on stderr, where scripts and systemd look for them.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Warning);
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        builder.Services.AddTrainer();
        return builder.Build();
    }

    private static int Run(string configFile, string[] overrides)
    {
        try
        {
            using var host = BuildHost(configFile, overrides);
            host.Run();
            return Environment.ExitCode;
        }
        catch (Exception e) when (e is System.Reflection.TargetInvocationException { InnerException: OptionsValidationException })
        {
            foreach (var failure in ((OptionsValidationException)e.InnerException!).Failures) Console.Error.WriteLine($"error: {configFile}: {failure}");
            return 2;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) Console.Error.WriteLine($"error: {configFile}: {failure}");
            return 2;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("Error while binding", StringComparison.Ordinal) || e.InnerException is FormatException)
        {
            Console.Error.WriteLine($"error: {configFile}: {e.Message}");
            return 2;
        }
        catch (Telemetry.TelemetryEndpointException e)
        {
            Console.Error.WriteLine($"error: {configFile}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
