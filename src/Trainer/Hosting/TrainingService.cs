using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Telemetry;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Runs the training loop on its own long-running thread. Ctrl-C / SIGTERM cancel the token: the loop drops the
/// step in flight, writes a checkpoint and returns, and the process exits 0. A failure is recorded in
/// <see cref="TrainingOutcome"/> (the `train` command prints it once and exits 1 or 2) and stops the host; its stack
/// trace is logged at Debug level only. When training ends the host stops too.
/// </summary>
public sealed class TrainingService(TrainingLoop loop, IHostApplicationLifetime lifetime, IServiceProvider services,
    IOptions<TrainingOptions> training, TrainingOutcome outcome, TrainingHeartbeat heartbeat, ILogger<TrainingService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                EffectiveConfig.Write(services, training.Value.OutputDir);
                int step = loop.Run(stoppingToken);
                heartbeat.Enter(TrainingPhase.Stopped);
                Reporting.RunReport.Refresh(training.Value.OutputDir, logger); // also for runs without evaluation
                logger.LogInformation("Training finished at step {Step}", step);
            }
            catch (Exception e)
            {
                outcome.Fail(e);
                logger.LogDebug(e, "Training failed");
                heartbeat.Enter(TrainingPhase.Failed, e.Message);
            }
            finally
            {
                lifetime.StopApplication();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
