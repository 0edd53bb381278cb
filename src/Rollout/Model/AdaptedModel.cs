using Parameter = TorchSharp.Modules.Parameter;

namespace RlTrainer.Rollout.Model;

/// <summary>A model with or without a LoRA adapter on top: how commands load one, and which of its parameters train.</summary>
public static class AdaptedModel
{
    /// <summary>The model folder, with the adapter folder (PEFT layout) attached unmerged when one is given.</summary>
    public static CausalLm Load(string modelDir, string? adapterDir, ComputeDevice device, Tokenization.HfTokenizer? tokenizer = null)
    {
        var model = HfModelFolder.Load(modelDir, device, tokenizer);
        if (adapterDir is null) return model;
        try
        {
            PeftAdapterFolder.Load(model, adapterDir);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The parameters that receive gradients: every one, or the adapters alone once LoRA froze the base.</summary>
    public static IEnumerable<Parameter> TrainableParameters(this CausalLm model) => model.parameters().Where(p => p.requires_grad);
}
