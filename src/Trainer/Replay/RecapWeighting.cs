using System.Text.Json.Nodes;

namespace RlTrainer.Trainer.Replay;

/// <summary>
/// RECAP task weights (Phan et al., arXiv 2510.21978; docs/algorithms.md#recap-weights). Each task's tracked
/// scalar goes into a FIFO window of its last 2W values. Once 2W steps have been seen, every step computes the mean
/// μ of the last W values, the mean μ̃ of the W before, the unbiased σ over all 2W, the convergence rate c (oriented
/// so that c &gt; 1 means "improving"), the instability i = σ / (μ + μ̃ + ε), the score s = c + i (or
/// α·c + (1 − α)·i), and λ = K · softmax(s / T). Before that, λ = 1 for every task. The weights sum to K, so the
/// aggregated loss (1/K) Σ λ_k L_k has the scale of a plain mean. Costs Θ(K·W) doubles; no model passes.
/// </summary>
public sealed class RecapWeighting
{
    private readonly TrackedValueKind[] _kinds;
    private readonly Queue<double>[] _history;
    private readonly double[] _lambda;

    /// <param name="names">Task names (keys of the checkpointed state and of the metrics).</param>
    /// <param name="kinds">Per task: reward (higher is better) or loss (lower is better).</param>
    /// <param name="window">W: each half of the 2W window. The paper's default is 10.</param>
    /// <param name="temperature">T of the softmax. The paper's default is 5.</param>
    /// <param name="alpha">Null for s = c + i (main text); else s = α·c + (1 − α)·i (appendix).</param>
    /// <param name="epsilon">ε in the denominator of i.</param>
    public RecapWeighting(IReadOnlyList<string> names, IReadOnlyList<TrackedValueKind> kinds, int window = 10,
        double temperature = 5.0, double? alpha = null, double epsilon = 1e-8)
    {
        if (names.Count == 0) throw new ArgumentException("RECAP needs at least one task.", nameof(names));
        if (kinds.Count != names.Count)
            throw new ArgumentException($"{kinds.Count} kinds for {names.Count} tasks.", nameof(kinds));
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ArgumentException($"task names repeat: {string.Join(", ", names)}.", nameof(names));
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the softmax temperature must be positive.");
        if (alpha is { } a && !(a >= 0 && a <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in [0, 1].");
        Names = names.ToArray();
        _kinds = kinds.ToArray();
        Window = window;
        Temperature = temperature;
        Alpha = alpha;
        Epsilon = epsilon;
        _history = names.Select(_ => new Queue<double>(2 * window)).ToArray();
        _lambda = Enumerable.Repeat(1.0, names.Count).ToArray();
    }

    public IReadOnlyList<string> Names { get; }
    public int Window { get; }
    public double Temperature { get; }
    public double? Alpha { get; }
    public double Epsilon { get; }

    /// <summary>Updates seen so far (the pseudocode's step counter).</summary>
    public int Steps { get; private set; }

    /// <summary>The current weights, one per task, summing to K.</summary>
    public IReadOnlyList<double> Lambda => _lambda;

    /// <summary>The signals behind <see cref="Lambda"/>; null while warming up (fewer than 2W steps).</summary>
    public IReadOnlyList<RecapSignals>? Signals { get; private set; }

    /// <summary>Pushes this step's tracked value of every task and recomputes the weights.</summary>
    /// <param name="values">One finite value per task, in the order of <see cref="Names"/>.</param>
    public IReadOnlyList<double> Update(IReadOnlyList<double> values)
    {
        if (values.Count != Names.Count)
            throw new ArgumentException($"{values.Count} tracked values for {Names.Count} tasks.", nameof(values));
        for (int k = 0; k < values.Count; k++)
            if (!double.IsFinite(values[k]))
                throw new ArgumentException($"task '{Names[k]}': tracked value {values[k]} at step {Steps + 1} is not finite.", nameof(values));
        Steps++;
        for (int k = 0; k < values.Count; k++)
        {
            if (_history[k].Count == 2 * Window) _history[k].Dequeue();
            _history[k].Enqueue(values[k]);
        }
        if (Steps < 2 * Window)
        {
            Array.Fill(_lambda, 1.0);
            Signals = null;
            return _lambda;
        }
        var signals = Enumerable.Range(0, Names.Count).Select(k => Compute(_history[k].ToArray(), _kinds[k])).ToArray();
        Softmax(signals.Select(s => s.Score).ToArray(), Temperature, _lambda);
        Signals = signals;
        return _lambda;
    }

    private RecapSignals Compute(double[] window, TrackedValueKind kind)
    {
        int w = Window;
        double old = 0, current = 0;
        for (int j = 0; j < w; j++) { old += window[j]; current += window[w + j]; }
        old /= w;
        current /= w;
        double mean = (old + current) / 2, squares = 0;
        foreach (var x in window) squares += (x - mean) * (x - mean);
        double sigma = Math.Sqrt(squares / (2 * w - 1));
        var (numerator, denominator) = kind == TrackedValueKind.Loss ? (old, current) : (current, old);
        // The ratio assumes positive tracked values; a zero or negative denominator carries no rate, so such
        // a task is scored as neither converging nor diverging.
        double c = denominator > 0 ? numerator / denominator : 1.0;
        double i = sigma / (current + old + Epsilon);
        double s = Alpha is { } a ? a * c + (1 - a) * i : c + i;
        return new RecapSignals(current, old, sigma, c, i, s);
    }

    /// <summary>λ_k = K · exp(s_k / T) / Σ_j exp(s_j / T), with the max score subtracted first so exp cannot overflow.</summary>
    private static void Softmax(double[] scores, double temperature, double[] into)
    {
        double top = scores.Max(), z = 0;
        for (int k = 0; k < scores.Length; k++) { into[k] = Math.Exp((scores[k] - top) / temperature); z += into[k]; }
        for (int k = 0; k < scores.Length; k++) into[k] = scores.Length * into[k] / z;
    }

    /// <summary>The step counter and every task's window, oldest value first.</summary>
    public JsonNode SaveState()
    {
        var windows = new JsonObject();
        for (int k = 0; k < Names.Count; k++) windows[Names[k]] = new JsonArray(_history[k].Select(v => (JsonNode)v).ToArray());
        return new JsonObject { ["steps"] = Steps, ["window"] = Window, ["history"] = windows };
    }

    /// <summary>Restores <see cref="SaveState"/>'s output and recomputes the weights from it; null leaves a fresh state.</summary>
    /// <exception cref="InvalidDataException">The state was saved for other tasks or another window size.</exception>
    public void LoadState(JsonNode? state)
    {
        if (state is null) return;
        int window = state["window"]?.GetValue<int>() ?? -1;
        if (window != Window)
            throw new InvalidDataException($"checkpointed RECAP state has window {window}, the config Replay:Recap:Window = {Window}.");
        var history = state["history"]?.AsObject()
            ?? throw new InvalidDataException("checkpointed RECAP state has no 'history'.");
        var saved = history.Select(kv => kv.Key).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (!saved.SequenceEqual(Names.OrderBy(n => n, StringComparer.Ordinal)))
            throw new InvalidDataException($"checkpointed RECAP tasks ({string.Join(", ", saved)}) differ from the configured ones ({string.Join(", ", Names)}).");
        Steps = state["steps"]!.GetValue<int>();
        for (int k = 0; k < Names.Count; k++)
        {
            _history[k].Clear();
            foreach (var v in history[Names[k]]!.AsArray()) _history[k].Enqueue(v!.GetValue<double>());
        }
        Array.Fill(_lambda, 1.0);
        Signals = null;
        if (Steps >= 2 * Window && _history.All(h => h.Count == 2 * Window))
        {
            var signals = Enumerable.Range(0, Names.Count).Select(k => Compute(_history[k].ToArray(), _kinds[k])).ToArray();
            Softmax(signals.Select(s => s.Score).ToArray(), Temperature, _lambda);
            Signals = signals;
        }
    }
}
