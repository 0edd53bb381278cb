using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Sft;

/// <summary>
/// Turns a row into an SFT sequence, the same way for `rltrainer sft` and replayed SFT sources: the chat-templated
/// prompt as context, the target and the end-of-turn id as trained tokens, except the turns a multi-turn target holds
/// that the environment writes.
/// </summary>
/// <remarks>
/// A target may hold tool exchanges (<see cref="Data.Generation.ToolCallTranscript"/>): the model's turn ends with the
/// end-of-turn marker, which is trained (the model must learn to stop after its call); the text from there up to and
/// including the next assistant header is what the trainer injects (the tool response), which is context with loss
/// mask 0, so the model never learns to write tool responses itself; then the model's continuation is trained. Each
/// piece is tokenized on its own, as the sampler sees them: the model's tokens as it would generate them, the injected
/// text encoded by itself. Without a chat template the whole target is trained, as before.
/// </remarks>
public sealed class SftExampleEncoder(PromptEncoder encoder)
{
    private readonly int _endOfTurnId = encoder.EndOfTurnId();
    private readonly string? _assistantHeader = encoder.AssistantHeader();

    public SftExample Encode(RlExample example)
    {
        var target = example.Target ?? throw new InvalidDataException(
            $"{example.SourceFile}: row {example.Index} has no target completion; SFT needs one per row (verl extra_info target/solution, GSM8K answer, MATH solution).");
        var tokenizer = encoder.Tokenizer;
        var ids = new List<int>();
        var trained = new List<bool>();
        void Add(string text, bool train)
        {
            var piece = tokenizer.Encode(text);
            ids.AddRange(piece);
            trained.AddRange(Enumerable.Repeat(train, piece.Count));
        }

        var endOfTurn = tokenizer.Decode([_endOfTurnId]);
        var at = 0;
        while (_assistantHeader is not null && target.IndexOf(endOfTurn, at, StringComparison.Ordinal) is var end and >= 0)
        {
            Add(target[at..end], train: true);
            ids.Add(_endOfTurnId);
            trained.Add(true);
            var header = target.IndexOf(_assistantHeader, end + endOfTurn.Length, StringComparison.Ordinal);
            if (header < 0)
                throw new InvalidDataException(
                    $"{example.SourceFile}: row {example.Index}: the target's {endOfTurn} at character {end} is not followed by an assistant turn ({_assistantHeader.ReplaceLineEndings("\\n")}); a target must end with the model's turn.");
            at = header + _assistantHeader.Length;
            Add(target[(end + endOfTurn.Length)..at], train: false);
        }

        Add(target[at..], train: true);
        ids.Add(_endOfTurnId);
        trained.Add(true);
        return new SftExample(encoder.Encode(example.Prompt), ids, trained.Contains(false) ? trained : null);
    }
}
