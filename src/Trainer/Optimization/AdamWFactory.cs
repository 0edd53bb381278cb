using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Optimization;

/// <summary>Builds TorchSharp's AdamW from options and applies the schedule and gradient clipping per step.</summary>
public static class AdamWFactory
{
    public static optim.Optimizer Create(IEnumerable<Parameter> parameters, OptimizerOptions o) =>
        optim.AdamW(parameters, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay);

    /// <summary>Sets the scheduled rate, clips the gradient norm, steps, zeroes gradients. Returns (lr, grad norm before clipping).</summary>
    /// <exception cref="NotFiniteNumberException">The gradient norm is NaN or ±inf: gradients are zeroed, the weights untouched.</exception>
    public static (double Lr, double GradNorm) Step(optim.Optimizer optimizer, IEnumerable<Parameter> parameters,
        OptimizerOptions o, int step, int totalSteps)
    {
        double lr = o.LearningRate * LrSchedule.Multiplier(o.Schedule, step, totalSteps, o.WarmupSteps, o.MinLrRatio);
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
        var withGrad = parameters.Where(p => p.grad is not null).ToList();
        double norm = o.MaxGradNorm > 0
            ? nn.utils.clip_grad_norm_(withGrad, o.MaxGradNorm)
            : Math.Sqrt(withGrad.Sum(p => { using var n = p.grad!.pow(2).sum(); return n.item<float>(); }));
        if (!double.IsFinite(norm))
        {
            optimizer.zero_grad(); // one poisoned step would make every weight NaN
            throw new NotFiniteNumberException($"the gradient norm is {norm} at optimizer step {step + 1}; the step was not applied", norm);
        }
        optimizer.step();
        optimizer.zero_grad();
        return (lr, norm);
    }
}
