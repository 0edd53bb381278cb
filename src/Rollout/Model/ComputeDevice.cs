using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Where every tensor lives and which dtype computes: the project's one device setting.
/// cpu computes in float32; cuda computes in bfloat16 (log-softmax and losses are still taken in float32).
/// The CUDA path is the same code as the CPU path: only this record differs.
/// </summary>
public sealed record ComputeDevice(string Name, Device Device, ScalarType DType)
{
    public static ComputeDevice Cpu { get; } = new("cpu", CPU, ScalarType.Float32);

    /// <param name="setting">"cpu" or "cuda" (optionally "cuda:N").</param>
    public static ComputeDevice Parse(string setting)
    {
        var s = setting.Trim().ToLowerInvariant();
        if (s == "cpu") return Cpu;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new InvalidOperationException($"device '{setting}' was requested but CUDA is not available in this build (TorchSharp-cpu); build with -p:TorchBackend=cuda on a GPU machine.");
            return new ComputeDevice(s, new Device(s), ScalarType.BFloat16);
        }
        throw new ArgumentException($"device '{setting}' is not supported: use 'cpu' or 'cuda'.");
    }

    /// Same placement, explicit dtype (used by tests that run the CUDA dtype path on CPU).
    public ComputeDevice WithDType(ScalarType dtype) => this with { DType = dtype };

    public override string ToString() => $"{Name} ({DType})";
}
