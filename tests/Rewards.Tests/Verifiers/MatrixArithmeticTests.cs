using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

/// <summary>Matrix sums and products carried out entry by entry, checked against hand arithmetic.</summary>
public class MatrixArithmeticTests
{
    private const string A = @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}";
    private const string B = @"\begin{pmatrix}5 & 6 \\ 7 & 8\end{pmatrix}";

    private static double[,] Entries(string expression)
    {
        var tree = MathExpressionParser.TryParse(LatexNormalizer.Normalize(expression), VerifierBudget.Unlimited);
        Assert.NotNull(tree);
        var m = MatrixArithmetic.Reduce(tree);
        Assert.NotNull(m);
        var values = new double[m.Rows.Count, m.Rows[0].Count];
        var none = new Dictionary<string, Scalar>();
        for (var i = 0; i < m.Rows.Count; i++)
            for (var j = 0; j < m.Rows[0].Count; j++)
                values[i, j] = ExpressionEvaluator.Evaluate(m.Rows[i][j], none, VerifierBudget.Unlimited).Value;
        return values;
    }

    [Fact]
    public void Reduce_SumDifferenceAndScaling_MatchHand()
    {
        Assert.Equal(new double[,] { { 6, 8 }, { 10, 12 } }, Entries($"{A} + {B}"));
        Assert.Equal(new double[,] { { -4, -4 }, { -4, -4 } }, Entries($"{A} - {B}"));
        Assert.Equal(new double[,] { { 2, 4 }, { 6, 8 } }, Entries($"2 {A}"));
        Assert.Equal(new double[,] { { 0.5, 1 }, { 1.5, 2 } }, Entries($"{A} / 2"));
        Assert.Equal(new double[,] { { -1, -2 }, { -3, -4 } }, Entries($"-{A}"));
    }

    [Fact]
    public void Reduce_Product_MatchesHand()
    {
        // [1 2; 3 4][5 6; 7 8] = [1·5+2·7, 1·6+2·8; 3·5+4·7, 3·6+4·8] = [19 22; 43 50]
        Assert.Equal(new double[,] { { 19, 22 }, { 43, 50 } }, Entries($"{A} {B}"));
        // [1 2 3] (1×3) times the column (4, 5, 6) = 4 + 10 + 18 = 32
        Assert.Equal(new double[,] { { 32 } }, Entries(@"\begin{pmatrix}1 & 2 & 3\end{pmatrix} \cdot \begin{pmatrix}4 \\ 5 \\ 6\end{pmatrix}"));
    }

    [Theory]
    [InlineData(A + " + 1")]                                             // matrix plus scalar
    [InlineData(A + @" + \begin{pmatrix}1 & 2 & 3\end{pmatrix}")]      // shapes differ
    [InlineData(@"\begin{pmatrix}1 & 2\end{pmatrix} \begin{pmatrix}1 & 2\end{pmatrix}")] // 1×2 by 1×2
    [InlineData("2 / " + A)]                                             // dividing by a matrix
    public void Reduce_Undefined_IsNull(string expression)
    {
        var tree = MathExpressionParser.TryParse(LatexNormalizer.Normalize(expression), VerifierBudget.Unlimited);
        Assert.NotNull(tree);
        Assert.Null(MatrixArithmetic.Reduce(tree));
    }

    [Fact]
    public void Verifier_GradesMatrixExpressions()
    {
        var verifier = new MathAnswerVerifier();
        Assert.True(verifier.AreEquivalent(@"\begin{pmatrix}6 & 8 \\ 10 & 12\end{pmatrix}", $"{A} + {B}"));
        Assert.False(verifier.AreEquivalent(@"\begin{pmatrix}6 & 8 \\ 10 & 13\end{pmatrix}", $"{A} + {B}"));
        Assert.True(verifier.AreEquivalent(@"\begin{pmatrix}19 & 22 \\ 43 & 50\end{pmatrix}", $"{A} {B}"));
        Assert.False(verifier.AreEquivalent(@"\begin{pmatrix}19 & 22 \\ 43 & 50\end{pmatrix}", $"{B} {A}")); // BA = [23 34; 31 46]
    }
}
