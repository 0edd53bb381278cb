using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class TrainerServiceCollectionExtensionsTests
{
    [Fact]
    public void RunSections_BindEveryOptionsClassTheTrainingLoopReads()
    {
        var sections = TrainCommand.RunSections();
        var read = typeof(TrainingLoop).GetConstructors().Single().GetParameters()
            .Select(p => p.ParameterType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptions<>))
            .Select(t => t.GetGenericArguments()[0]).ToList();
        Assert.True(read.Count > 10, $"only {read.Count} options found on the constructor");
        Assert.All(read, t => Assert.True(sections.Contains(t), $"{t.Name} is read by the loop but bound by no AddX"));
    }

    [Fact]
    public void AddTrainer_WithoutTheRolloutAndRewardsSides_Refuses()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddTrainer());
        Assert.Contains("AddRollout() and AddRewards() first", e.Message);
    }
}
