namespace RlTrainer.Trainer.Reporting;

/// <summary>How a chart's x axis maps values: linear in whole numbers (training steps) or log2 (k of pass@k).</summary>
public enum ChartXAxis
{
    LinearIntegers,
    Log2,
}
