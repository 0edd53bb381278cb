using Mono.Cecil;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests;

/// <summary>
/// No number is converted to a TorchSharp Scalar implicitly on the hot paths (per token, per layer, per micro-batch).
/// Such a Scalar is a native handle left to the finalizer, and the JIT may treat it as dead once its handle is read,
/// so a GC on another thread can free it while libtorch still reads it: a quickstart run died of "Unknown scalar
/// type" in clamp_max. Read from the IL: a call to Scalar.op_Implicit in our methods, or in a TorchSharp method they
/// call (Tensor + Tensor converts its alpha 1, square() its exponent 2, arange(start, end) its step), fails.
/// </summary>
public class ImplicitScalarTests
{
    private static readonly string[] HotPaths =
    [
        "RlTrainer.Rollout.Model.CausalLm", "RlTrainer.Rollout.Model.RotaryEmbedding", "RlTrainer.Rollout.Model.KvCache",
        "RlTrainer.Rollout.Model.TokenLogProbs", "RlTrainer.Rollout.Model.LmHeadLogProbs", "RlTrainer.Rollout.Model.AdaptableLinear",
        "RlTrainer.Rollout.Model.ActivationCheckpoint", "RlTrainer.Rollout.Model.GradientHandoff", "RlTrainer.Rollout.Model.LoraSwitch",
        "RlTrainer.Rollout.Sampling.", "RlTrainer.Trainer.Objectives.", "RlTrainer.Trainer.Engines.ImportanceWeightedAdvantages",
        "RlTrainer.Trainer.Training.PolicyLoss", "RlTrainer.Trainer.Sft.SftLoss",
    ];

    [Fact]
    public void HotPaths_MakeNoScalarImplicitly()
    {
        var finder = new ImplicitScalarFinder(typeof(TorchSharp.Scalar).Assembly.Location);
        var found = new[] { typeof(CausalLm).Assembly.Location, typeof(TrainingLoop).Assembly.Location }
            .SelectMany(path => finder.Find(path, type => HotPaths.Any(type.StartsWith))).ToList();
        Assert.True(found.Count == 0, "implicit number → Scalar conversions on hot paths:" + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    [Fact]
    public void TheCheck_FindsDirectAndHiddenConversions()
    {
        var finder = new ImplicitScalarFinder(typeof(TorchSharp.Scalar).Assembly.Location);
        var found = finder.Find(typeof(ImplicitScalarTests).Assembly.Location, type => type.StartsWith(typeof(ImplicitScalarSamples).FullName!));
        Assert.Contains(found, f => f.Contains("Direct") && f.Contains("Double → Scalar"));
        Assert.Contains(found, f => f.Contains("Hidden") && f.Contains("op_Addition"));
        Assert.Contains(found, f => f.Contains("Hidden") && f.Contains("square"));
        Assert.DoesNotContain(found, f => f.Contains("Explicit"));
    }
}

/// <summary>Methods the check must flag (Direct, Hidden) or pass (Explicit); never called.</summary>
internal static class ImplicitScalarSamples
{
    public static TorchSharp.torch.Tensor Direct(TorchSharp.torch.Tensor t) => t.clamp_max(0.5);
    public static TorchSharp.torch.Tensor HiddenAlpha(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => a + b;
    public static TorchSharp.torch.Tensor HiddenExponent(TorchSharp.torch.Tensor a) => a.square();
    public static TorchSharp.torch.Tensor Explicit(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => a.add(b, FixedScalars.One);
}

/// <summary>Lists, per method, the calls that convert a number to a Scalar implicitly, directly or inside a
/// TorchSharp method (followed three calls deep).</summary>
internal sealed class ImplicitScalarFinder(string torchSharpPath)
{
    private readonly Dictionary<string, MethodDefinition> _torchSharp = AssemblyDefinition.ReadAssembly(torchSharpPath)
        .MainModule.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).GroupBy(m => m.FullName).ToDictionary(g => g.Key, g => g.First());
    private readonly Dictionary<string, bool> _hides = new();

    public List<string> Find(string assemblyPath, Func<string, bool> typeFilter)
    {
        var found = new List<string>();
        foreach (var type in AssemblyDefinition.ReadAssembly(assemblyPath).MainModule.GetTypes().Where(t => typeFilter(t.FullName)))
            foreach (var method in type.Methods.Where(m => m.HasBody))
                foreach (var call in method.Body.Instructions.Select(i => i.Operand).OfType<MethodReference>())
                {
                    if (IsImplicitScalar(call))
                        found.Add($"{type.FullName}.{method.Name}: {call.Parameters[0].ParameterType.Name} → Scalar");
                    else if (IsTorchSharp(call) && Hides(call.FullName, 0))
                        found.Add($"{type.FullName}.{method.Name}: {call.DeclaringType.Name}.{call.Name}({string.Join(", ", call.Parameters.Select(p => p.ParameterType.Name))}) converts inside");
                }
        return found;
    }

    private static bool IsImplicitScalar(MethodReference m) => m.Name == "op_Implicit" && m.DeclaringType.FullName == "TorchSharp.Scalar"
        && m.Parameters.Count == 1 && m.Parameters[0].ParameterType.FullName != "TorchSharp.Scalar";

    private static bool IsTorchSharp(MethodReference m) => m.DeclaringType.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal);

    // Only answers found from the top are remembered: one cut off by the depth limit may be wrong deeper in.
    private bool Hides(string method, int depth)
    {
        if (_hides.TryGetValue(method, out var known)) return known;
        if (depth > 3 || !_torchSharp.TryGetValue(method, out var body)) return false;
        var hides = body.Body.Instructions.Select(i => i.Operand).OfType<MethodReference>()
            .Any(m => IsImplicitScalar(m) || (IsTorchSharp(m) && Hides(m.FullName, depth + 1)));
        if (depth == 0 || hides) _hides[method] = hides;
        return hides;
    }
}
