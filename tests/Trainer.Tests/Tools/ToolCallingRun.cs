using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tests.Tools;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Tools;

/// A <see cref="TinyRun"/> whose random model is replaced by <see cref="ToolCallingModel"/>: every assistant turn is
/// <c>call</c> (an added token) then &lt;|im_end|&gt;.
internal static class ToolCallingRun
{
    public static TinyRun Create(string call, int maxSteps = 1)
    {
        var run = new TinyRun(maxSteps);
        var tokenizerDir = Path.Combine(run.Dir, "tokenizer");
        ToolCallingModel.WriteTokenizer(RepoPaths.Root, tokenizerDir, call);
        Directory.Delete(run.ModelDir, recursive: true);
        using var model = ToolCallingModel.Create(seed: 21);
        HfModelFolder.Save(model, run.ModelDir, tokenizerDir);
        return run;
    }
}
