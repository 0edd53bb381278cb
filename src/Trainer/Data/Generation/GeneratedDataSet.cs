namespace RlTrainer.Trainer.Data.Generation;

/// <summary>A generated data set's two splits; no prompt of <see cref="Test"/> appears in <see cref="Train"/>.</summary>
public sealed record GeneratedDataSet(IReadOnlyList<RlExample> Train, IReadOnlyList<RlExample> Test);
