using System.Security.Cryptography;
using System.Text;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// A 64-bit identity of an example's content (prompt roles and texts, ground truth). Shuffles and held-out splits key
/// on it rather than on row position, so they do not change when the same rows are split over other files.
/// </summary>
public static class ExampleIdentity
{
    /// <summary>The first 8 bytes of SHA-256 over the prompt messages and the ground truth, with separators.</summary>
    public static ulong Hash(RlExample example)
    {
        var text = new StringBuilder();
        foreach (var message in example.Prompt)
        {
            // Unit and record separators keep ("ab","c") and ("a","bc") apart.
            text.Append(message.Role).Append('\u001f').Append(message.Content).Append('\u001e');
        }

        text.Append('\u001d').Append(example.GroundTruth);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return BitConverter.ToUInt64(digest, 0);
    }

    /// <summary>A key uniform in [0, 2^64) for the example under a seed and a stream number (e.g. the epoch).</summary>
    public static ulong Keyed(ulong identity, long seed, long stream) =>
        SplitMix64.Mix(identity ^ SplitMix64.Mix(unchecked((ulong)seed * 0x9E3779B97F4A7C15 + (ulong)stream)));
}
