using System.Runtime.CompilerServices;

namespace RlTrainer.Rollout.Tests;

internal static class TestThreads
{
    /// xUnit runs test classes in parallel and CI runs test projects in parallel: one libtorch thread per test keeps
    /// the 2-core machine from being oversubscribed by OpenMP teams that spin while they wait.
    [ModuleInitializer]
    internal static void OneTorchThreadPerTest() => TorchSharp.torch.set_num_threads(1);
}
