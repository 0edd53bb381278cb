using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// How a validator that compares two sections reads the other one: its value, or null when that section is invalid
/// itself; the validator then skips, so the other section's problem is reported once, by its own validators.
/// </summary>
public static class OtherSection
{
    public static T? ValueOrNull<T>(this IOptions<T> options) where T : class
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
