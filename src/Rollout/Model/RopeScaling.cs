using System.Text.Json.Nodes;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// config.json `rope_scaling`. Only the llama3 rule (Llama 3.1+) changes the frequencies; "default" or null leaves them.
/// </summary>
public sealed record RopeScaling(string RopeType, double Factor, double LowFreqFactor, double HighFreqFactor,
    int OriginalMaxPositionEmbeddings)
{
    public static RopeScaling? FromJson(JsonObject? o, string path)
    {
        if (o is null) return null;
        string type = (o["rope_type"] ?? o["type"])?.GetValue<string>() ?? "default";
        if (type == "default") return null;
        if (type != "llama3")
            throw new InvalidDataException($"{path}: rope_scaling.rope_type '{type}' is not supported (default, llama3).");
        double Get(string key) => o[key]?.GetValue<double>()
            ?? throw new InvalidDataException($"{path}: rope_scaling.{key} is missing for rope_type llama3.");
        return new RopeScaling(type, Get("factor"), Get("low_freq_factor"), Get("high_freq_factor"),
            (int)Get("original_max_position_embeddings"));
    }

    public JsonObject ToJson() => new()
    {
        ["rope_type"] = RopeType,
        ["factor"] = Factor,
        ["low_freq_factor"] = LowFreqFactor,
        ["high_freq_factor"] = HighFreqFactor,
        ["original_max_position_embeddings"] = OriginalMaxPositionEmbeddings,
    };

    /// <summary>
    /// Llama 3 frequency rule: wavelengths longer than original/low_freq_factor are divided by `factor`, shorter than
    /// original/high_freq_factor kept, and the band between interpolated smoothly. inv_freq: (hd/2,) in place.
    /// </summary>
    public void Apply(double[] invFreq)
    {
        double lowWavelen = OriginalMaxPositionEmbeddings / LowFreqFactor;
        double highWavelen = OriginalMaxPositionEmbeddings / HighFreqFactor;
        for (int i = 0; i < invFreq.Length; i++)
        {
            double wavelen = 2 * Math.PI / invFreq[i];
            if (wavelen > lowWavelen) invFreq[i] /= Factor;
            else if (wavelen >= highWavelen)
            {
                double smooth = (OriginalMaxPositionEmbeddings / wavelen - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
                invFreq[i] = (1 - smooth) * invFreq[i] / Factor + smooth * invFreq[i];
            }
        }
    }
}
