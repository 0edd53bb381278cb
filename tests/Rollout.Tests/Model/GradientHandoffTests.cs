using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

public class GradientHandoffTests
{
    [Fact]
    public void ReleaseEarlier_OnAnotherThread_LeavesThisThreadsGradientsAlive()
    {
        GradientHandoff.ReleaseEarlier();                 // nothing of an earlier test on this thread
        var handed = zeros(3);
        GradientHandoff.Hand([handed]);
        var other = new Thread(GradientHandoff.ReleaseEarlier);
        other.Start();
        other.Join();
        Assert.False(handed.IsInvalid, "another thread's backward released this thread's gradient");
        GradientHandoff.ReleaseEarlier();
        Assert.True(handed.IsInvalid);
    }
}
