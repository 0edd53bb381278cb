using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>
/// Checks the names and file lists of Eval:Sets when the host starts, not once the model and the data are loaded. A
/// name that repeats a data source of the main held-out set is only known after the data is read (EvalSet.LoadAll).
/// </summary>
public sealed class EvalSetsValidator : IValidateOptions<EvalOptions>
{
    public ValidateOptionsResult Validate(string? name, EvalOptions options)
    {
        var problems = EvalSet.Problems(options, []).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
