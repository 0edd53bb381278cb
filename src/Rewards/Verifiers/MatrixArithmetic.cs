namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Carries out sums and products of written matrices ("A + B", "A B", "2A"), as sympy does for Math-Verify, so that
/// the result can be compared entry by entry. Entries stay trees: (A·B)_ij is the tree Σ_k A_ik·B_kj, which the
/// comparer then evaluates exactly. Anything else (a matrix divided by something, a power, a determinant) is left alone.
/// </summary>
internal static class MatrixArithmetic
{
    /// <summary>Most entries a product may build; answers hold small matrices.</summary>
    private const int MaxEntries = 256;

    /// <summary>True when a matrix sits inside a sum, product or negation: an expression to carry out first.</summary>
    public static bool IsMatrixExpression(MathNode node) =>
        node is SumNode or ProductNode or NegateNode && ContainsMatrix(node);

    /// <summary>The matrix <paramref name="node"/> evaluates to, or null when it is not a well-formed matrix expression.</summary>
    public static MatrixNode? Reduce(MathNode node) => ReduceValue(node) as MatrixNode;

    private static bool ContainsMatrix(MathNode node) =>
        node is MatrixNode || MathNodeQueries.ScalarChildren(node).Any(ContainsMatrix);

    // Returns a MatrixNode, a scalar MathNode (no matrix inside), or null for a malformed expression.
    private static MathNode? ReduceValue(MathNode node)
    {
        if (node is MatrixNode m) return m;
        if (!ContainsMatrix(node)) return node;
        switch (node)
        {
            case NegateNode n:
                return ReduceValue(n.Operand) is MatrixNode inner ? Map(inner, e => new NegateNode(e)) : null;
            case SumNode s:
            {
                if (s.Signs.Any(x => x is not (SumSign.Plus or SumSign.Minus))) return null;
                MatrixNode? total = null;
                for (var i = 0; i < s.Terms.Count; i++)
                {
                    // A matrix plus a scalar is not defined.
                    if (ReduceValue(s.Terms[i]) is not MatrixNode term) return null;
                    if (s.Signs[i] == SumSign.Minus) term = Map(term, e => new NegateNode(e));
                    total = total is null ? term : Add(total, term);
                    if (total is null) return null;
                }
                return total;
            }
            case ProductNode p:
            {
                MathNode? acc = null;
                for (var i = 0; i < p.Factors.Count; i++)
                {
                    var factor = ReduceValue(p.Factors[i]);
                    if (factor is null || (p.Divides[i] && factor is MatrixNode)) return null;
                    if (p.Divides[i]) factor = new ProductNode(new MathNode[] { new NumberNode(BigRational.One, 0), factor }, new[] { false, true });
                    acc = acc is null ? factor : Multiply(acc, factor);
                    if (acc is null) return null;
                }
                return acc;
            }
            default:
                return null;
        }
    }

    private static MatrixNode Map(MatrixNode m, Func<MathNode, MathNode> f) =>
        new(m.Rows.Select(r => (IReadOnlyList<MathNode>)r.Select(f).ToList()).ToList());

    private static MatrixNode? Add(MatrixNode a, MatrixNode b)
    {
        if (a.Rows.Count != b.Rows.Count || a.Rows[0].Count != b.Rows[0].Count) return null;
        return new MatrixNode(a.Rows.Zip(b.Rows, (ra, rb) => (IReadOnlyList<MathNode>)ra.Zip(rb, Plus).ToList()).ToList());
    }

    private static MathNode? Multiply(MathNode a, MathNode b)
    {
        switch (a, b)
        {
            case (MatrixNode x, MatrixNode y):
            {
                int n = x.Rows.Count, inner = x.Rows[0].Count, k = y.Rows[0].Count;
                if (inner != y.Rows.Count || (long)n * k * inner > MaxEntries) return null;
                var rows = new List<IReadOnlyList<MathNode>>(n);
                for (var i = 0; i < n; i++)
                {
                    var row = new List<MathNode>(k);
                    for (var j = 0; j < k; j++)
                    {
                        var terms = Enumerable.Range(0, inner).Select(t => Times(x.Rows[i][t], y.Rows[t][j])).ToArray();
                        row.Add(new SumNode(terms, terms.Select(_ => SumSign.Plus).ToArray()));
                    }
                    rows.Add(row);
                }
                return new MatrixNode(rows);
            }
            case (MatrixNode x, _): return Map(x, e => Times(e, b));
            case (_, MatrixNode y): return Map(y, e => Times(a, e));
            default: return Times(a, b);
        }
    }

    private static MathNode Plus(MathNode a, MathNode b) => new SumNode(new[] { a, b }, new[] { SumSign.Plus, SumSign.Plus });

    private static MathNode Times(MathNode a, MathNode b) => new ProductNode(new[] { a, b }, new[] { false, false });
}
