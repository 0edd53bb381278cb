using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// nn.Linear (weight (out, in), optional bias (out)) that can carry one LoRA adapter, as PEFT's lora.Linear does:
/// y = x Wᵀ + b + dropout(x) Aᵀ Bᵀ · α/r with A (r, in), B (out, r).
/// </summary>
/// <remarks>
/// A and B are the weights of the children "lora_A" and "lora_B", so named_parameters() lists them as
/// "model.layers.0.self_attn.q_proj.lora_A.weight": PEFT's key without its "base_model.model." prefix. They are kept
/// in float32 whatever the base dtype (PEFT's autocast_adapter_dtype default): the input is cast up for the delta and
/// the delta cast back, so bf16 training updates the adapter at full precision.
/// </remarks>
internal sealed class AdaptableLinear : nn.Module
{
    public const string AdapterA = "lora_A", AdapterB = "lora_B";

    private LoraMatrix? _a, _b;
    private LoraSwitch? _switch;
    private double _dropout;
    // α/r and 1/(1 − p) as Scalars made once per attached adapter (disposed in Detach): an implicitly converted
    // Scalar per forward is left to the finalizer, which may free it while libtorch still reads it.
    private Scalar? _scaling, _keptScale;

    public long InFeatures { get; }
    public long OutFeatures { get; }

    public AdaptableLinear(long inFeatures, long outFeatures, bool hasBias) : base("Linear")
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        // nn.Linear's own initialisation (checkpoints overwrite it; ModelInitializer replaces it for new models).
        var w = empty(outFeatures, inFeatures);
        nn.init.kaiming_uniform_(w, Math.Sqrt(5));
        register_parameter("weight", new Parameter(w));
        if (hasBias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            register_parameter("bias", new Parameter(empty(outFeatures).uniform_(-bound, bound)));
        }
    }

    // Looked up on each call: Module.to(dtype/device) swaps registered Parameters for new ones.
    public Parameter Weight => get_parameter("weight")!;
    public Parameter? Bias => get_parameter("bias");

    public bool HasAdapter => _a is not null;
    public Parameter LoraA => _a!.Weight;
    public Parameter LoraB => _b!.Weight;

    /// (…, in) → (…, out)
    public Tensor forward(Tensor x)
    {
        if (_a is null || !_switch!.Enabled) return F.linear(x, Weight, Bias);  // (…, out)
        using var scope = NewDisposeScope();
        var y = F.linear(x, Weight, Bias);                                       // (…, out)
        var input = x.to(ScalarType.Float32);
        if (training && _dropout > 0)
        {
            // nn.Dropout(p) with the layer pass's generator: keep with probability 1 − p, scale kept values by 1/(1 − p).
            var keep = empty_like(input).bernoulli_(1 - _dropout, _switch.DropoutGenerator);
            input = input.mul(keep).div(_keptScale!);
        }
        var delta = _b!.forward(_a.forward(input)).mul(_scaling!);               // (…, r) → (…, out)
        return y.add(delta.to(y.dtype), FixedScalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Adds A (PEFT's init: kaiming_uniform_(a = √5) on (r, in), i.e. U(−1/√in, 1/√in)) drawn from
    /// <paramref name="init"/> (a CPU generator), and B = 0, so the output is unchanged until B is trained.</summary>
    public void Attach(LoraSwitch lora, Generator init, Device device)
    {
        if (_a is not null) throw new InvalidOperationException("this projection already carries a LoRA adapter.");
        int r = lora.Config.Rank;
        // kaiming_uniform_: gain = √(2 / (1 + a²)) = √(1/3), bound = gain · √3 / √fan_in = 1 / √in.
        double bound = 1 / Math.Sqrt(InFeatures);
        var a = empty(new long[] { r, InFeatures }, ScalarType.Float32).uniform_(-bound, bound, init);  // (r, in)
        _a = new LoraMatrix(OnDevice(a, device));
        _b = new LoraMatrix(zeros(new long[] { OutFeatures, r }, ScalarType.Float32, device));          // (out, r)
        _a.train(training); _b.train(training);
        register_module(AdapterA, _a);
        register_module(AdapterB, _b);
        _switch = lora;
        _scaling = lora.Config.Scaling.ToScalar();
        _dropout = lora.Config.Dropout;
        _keptScale = (1 - _dropout).ToScalar();
    }

    private static Tensor OnDevice(Tensor t, Device device)
    {
        if (t.device == device) return t;
        var moved = t.to(device);
        t.Dispose();
        return moved;
    }

    /// <summary>W += α/r · B A (computed in float32, stored in W's dtype), then <see cref="Detach"/>.</summary>
    public void Merge()
    {
        if (_a is null) return;
        using (no_grad())
        using (var scope = NewDisposeScope())
            Weight.add_(Delta(), FixedScalars.One);
        Detach();
    }

    /// <summary>W + α/r · B A as a new tensor in W's dtype, W and the adapter untouched (a merged copy to write).</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        if (_a is null) return Weight.detach().clone();
        using var scope = NewDisposeScope();
        return Weight.detach().add(Delta(), FixedScalars.One).MoveToOuterDisposeScope();
    }

    /// α/r · B A in W's dtype: (out, r) @ (r, in) → (out, in), computed in float32.
    private Tensor Delta() => _b!.Weight.matmul(_a!.Weight).mul_(_scaling!).to(Weight.dtype);

    /// <summary>Drops the adapter without touching W.</summary>
    public void Detach()
    {
        if (_a is null) return;
        register_module(AdapterA, null!);
        register_module(AdapterB, null!);
        _a.Dispose(); _b!.Dispose();
        _a = _b = null;
        _switch = null;
        _scaling!.Dispose(); _keptScale!.Dispose();
        _scaling = _keptScale = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _scaling?.Dispose(); _keptScale?.Dispose(); }
        base.Dispose(disposing);
    }

    /// <summary>One adapter factor: a bias-free linear map whose only parameter is "weight", as PEFT's lora_A/lora_B.</summary>
    private sealed class LoraMatrix : nn.Module
    {
        /// Takes ownership of <paramref name="weight"/>.
        public LoraMatrix(Tensor weight) : base("Linear") =>
            register_parameter("weight", new Parameter(weight, requires_grad: true));

        public Parameter Weight => get_parameter("weight")!;

        public Tensor forward(Tensor x) => F.linear(x, Weight);
    }
}
