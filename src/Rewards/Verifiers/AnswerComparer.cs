namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Decides whether a predicted answer tree means the same as the gold one. Numbers compare exactly as rationals;
/// a written decimal may also match after rounding both sides to <c>decimalPlaces</c>; irrational values compare
/// to 1e-9 relative; expressions with variables compare at several fixed rational points (exact arithmetic,
/// so two polynomials that agree there are the same polynomial for all practical purposes). Equations compare up to
/// a constant factor, inequalities up to a positive one. An equation whose left side is only names ("x", "|AB|",
/// "f(x)", "V_1:V_2") states a labelled value, graded by its right side against a bare answer, as Math-Verify's
/// assignment rule does. Anything it cannot decide is "not equivalent".
/// </summary>
internal sealed class AnswerComparer
{
    private const double RelativeTolerance = 1e-9;
    private const int MaxCollectionSize = 64;
    private const int MaxVariables = 12;
    private const int PointCount = 4;

    // Variable values: primes over primes, distinct per variable and per point, away from 0, 1 and simple values.
    private static readonly int[] Numerators = { 37, 53, 71, 89, 103, 127, 149, 167, 191, 211, 233, 257, 281 };
    private static readonly int[] Denominators = { 13, 17, 19, 23, 29, 31, 41, 43, 47 };

    private readonly int _decimalPlaces;
    private readonly VerifierBudget _budget;
    private readonly bool _allowSetRelation;

    /// <param name="allowSetRelation">A gold set also accepts the inequalities that describe it (Math-Verify's allow_set_relation_comp).</param>
    public AnswerComparer(int decimalPlaces, VerifierBudget budget, bool allowSetRelation = false)
    {
        _decimalPlaces = decimalPlaces;
        _budget = budget;
        _allowSetRelation = allowSetRelation;
    }

    private abstract record Form;
    private sealed record ValueForm(MathNode Node) : Form;
    private sealed record AssignmentForm(MathNode Label, MathNode Value) : Form; // Label: only names (IsLabel)
    private sealed record EquationForm(MathNode Lhs, MathNode Rhs) : Form;
    private sealed record InequalityForm(RelationOperator Op, MathNode Lhs, MathNode Rhs) : Form; // Op ∈ {<, ≤, ≠}
    private sealed record ChainForm(MathNode Low, bool LowClosed, MathNode Variable, MathNode High, bool HighClosed) : Form;
    private sealed record UnsupportedForm : Form;

    public bool Equivalent(MathNode gold, MathNode predicted) => (ToForm(gold), ToForm(predicted)) switch
    {
        // "a = 2" never equals "b = 2": in "a = 2, b = 3" the names are the answer's structure.
        (AssignmentForm g, AssignmentForm p) => SameLabel(g.Label, p.Label)
            ? ValuesEqual(g.Value, p.Value)
            : HasSymbols(g.Value) && HasSymbols(p.Value) && EquationsEquivalent(g.Label, g.Value, p.Label, p.Value),
        (AssignmentForm g, EquationForm p) => EquationsEquivalent(g.Label, g.Value, p.Lhs, p.Rhs),
        (AssignmentForm g, ValueForm p) => ValuesEqual(g.Value, p.Node),
        (EquationForm g, EquationForm p) => EquationsEquivalent(g.Lhs, g.Rhs, p.Lhs, p.Rhs),
        (EquationForm g, AssignmentForm p) => EquationsEquivalent(g.Lhs, g.Rhs, p.Label, p.Value),
        (InequalityForm g, InequalityForm p) => g.Op == p.Op
            && Proportional(Difference(g.Lhs, g.Rhs), Difference(p.Lhs, p.Rhs), positiveOnly: g.Op != RelationOperator.NotEqual),
        (ChainForm g, ChainForm p) => SameLabel(g.Variable, p.Variable) && g.LowClosed == p.LowClosed
            && g.HighClosed == p.HighClosed && ValuesEqual(g.Low, p.Low) && ValuesEqual(g.High, p.High),
        // A gold "−2 ≤ x ≤ 7" accepts "x ∈ [−2, 7]"; the reverse only with allow_set_relation_comp (Math-Verify's default).
        (ChainForm g, ValueForm p) => ChainMatchesSet(g, p.Node),
        (ValueForm g, ChainForm p) => _allowSetRelation && ChainMatchesSet(p, g.Node),
        (ValueForm g, AssignmentForm p) => ValuesEqual(g.Node, p.Value),
        (ValueForm g, ValueForm p) => ValuesEqual(g.Node, p.Node),
        _ => false,
    };

    private bool ChainMatchesSet(ChainForm chain, MathNode set) => IsOneVariable(chain.Variable) && set switch
    {
        // The chain's set is the interval between its bounds unless its middle is an absolute value.
        BracketNode { Items.Count: 2 } b when chain.Variable is not FunctionNode { Name: "abs" } =>
            b.Open is '(' or '[' && IntervalMatches(chain.Low, chain.LowClosed, chain.High, chain.HighClosed, b),
        // "1 ≤ |z| ≤ 3/2" is [−3/2, −1] ∪ [1, 3/2] when its lower bound is positive.
        UnionNode { Parts: [BracketNode { Items.Count: 2 } left, BracketNode { Items.Count: 2 } right] }
            when chain.Variable is FunctionNode { Name: "abs" } && IsPositiveNumber(chain.Low) =>
            IntervalMatches(new NegateNode(chain.High), chain.HighClosed, new NegateNode(chain.Low), chain.LowClosed, left)
            && IntervalMatches(chain.Low, chain.LowClosed, chain.High, chain.HighClosed, right),
        _ => false,
    };

    // Math-Verify turns a chain into a set only on one variable: x, f(x) (read f·x; an application to sympy), or |x|.
    private static bool IsOneVariable(MathNode node) => node switch
    {
        SymbolNode => true,
        ProductNode { Factors: [SymbolNode, SymbolNode], Divides: [false, false] } => true,
        FunctionNode { Name: "abs", Argument: SymbolNode } => true,
        _ => false,
    };

    private bool IntervalMatches(MathNode low, bool lowClosed, MathNode high, bool highClosed, BracketNode b) =>
        lowClosed == (b.Open == '[') && highClosed == (b.Close == ']') && ValuesEqual(low, b.Items[0]) && ValuesEqual(high, b.Items[1]);

    private bool IsPositiveNumber(MathNode node)
    {
        if (HasSymbols(node) || MathNodeQueries.ContainsStructural(node)) return false;
        var v = ExpressionEvaluator.Evaluate(node, NoVariables, _budget);
        return !v.IsUndefined && !v.IsInfinite && v.Value > 0;
    }

    /// <summary>
    /// Math-Verify's "only symbols" left side (latex2sympy2's is_expr_of_only_symbols), narrowed to what is written
    /// as a name: a symbol, products and quotients of names ("AB", "A:B", "\frac{NO}{BO}", "f(x)", read as f·x),
    /// and |name|. Sums are left out: "x + z = 1" is an equation, not a labelled 1.
    /// </summary>
    private static bool IsLabel(MathNode node) => node switch
    {
        SymbolNode => true,
        ProductNode p => p.Factors.All(IsLabel),
        FunctionNode { Name: "abs", Index: null } f => IsLabel(f.Argument),
        _ => false,
    };

    private static bool SameLabel(MathNode a, MathNode b) => (a, b) switch
    {
        (SymbolNode x, SymbolNode y) => x.Name == y.Name,
        (ProductNode x, ProductNode y) => x.Factors.Count == y.Factors.Count && x.Divides.SequenceEqual(y.Divides)
                                          && x.Factors.Zip(y.Factors).All(f => SameLabel(f.First, f.Second)),
        (FunctionNode x, FunctionNode y) => x.Name == y.Name && x.Index is null && y.Index is null && SameLabel(x.Argument, y.Argument),
        _ => false,
    };

    private static Form ToForm(MathNode node)
    {
        if (node is not RelationNode r) return new ValueForm(node);
        var operands = r.Operands.ToList();
        var ops = r.Operators.ToList();
        var approx = ops.IndexOf(RelationOperator.Approx);
        if (approx == 0)
        {
            // "x ≈ 11" states x's value; "1/3 ≈ 0.33" states an exact value and its approximation.
            return IsLabel(operands[0]) ? new AssignmentForm(operands[0], operands[^1]) : ToForm(operands[0]);
        }
        if (approx > 0)
        {
            operands = operands.Take(approx + 1).ToList();
            ops = ops.Take(approx).ToList();
        }
        if (ops.All(o => o == RelationOperator.Equal))
        {
            // "x = 5 + 5 + 1 = 11": the last member of an equality chain is the answer.
            if (operands.Count >= 3)
                return IsLabel(operands[0]) ? new AssignmentForm(operands[0], operands[^1]) : ToForm(operands[^1]);
            if (IsLabel(operands[0])) return new AssignmentForm(operands[0], operands[1]);
            // "\frac{1}{2} = \frac{10}{9}" between two numbers is a computation whose result is the right side.
            if (!HasSymbols(operands[0]) && !HasSymbols(operands[1])) return ToForm(operands[1]);
            return new EquationForm(operands[0], operands[1]);
        }
        if (ops.Count == 1)
        {
            return ops[0] switch
            {
                RelationOperator.Greater => new InequalityForm(RelationOperator.Less, operands[1], operands[0]),
                RelationOperator.GreaterEqual => new InequalityForm(RelationOperator.LessEqual, operands[1], operands[0]),
                RelationOperator.Less or RelationOperator.LessEqual or RelationOperator.NotEqual
                    => new InequalityForm(ops[0], operands[0], operands[1]),
                _ => new UnsupportedForm(),
            };
        }
        if (ops.Count == 2 && IsLabel(operands[1]))
        {
            var x = operands[1];
            static bool Up(RelationOperator o) => o is RelationOperator.Less or RelationOperator.LessEqual;
            static bool Down(RelationOperator o) => o is RelationOperator.Greater or RelationOperator.GreaterEqual;
            if (Up(ops[0]) && Up(ops[1]))
                return new ChainForm(operands[0], ops[0] == RelationOperator.LessEqual, x, operands[2], ops[1] == RelationOperator.LessEqual);
            if (Down(ops[0]) && Down(ops[1]))
                return new ChainForm(operands[2], ops[1] == RelationOperator.GreaterEqual, x, operands[0], ops[0] == RelationOperator.GreaterEqual);
        }
        return new UnsupportedForm();
    }

    private static bool HasSymbols(MathNode node)
    {
        var symbols = new HashSet<string>();
        MathNodeQueries.CollectSymbols(node, symbols);
        return symbols.Count > 0;
    }

    private bool ValuesEqual(MathNode gold, MathNode predicted)
    {
        _budget.Check();
        if (gold is RelationNode || predicted is RelationNode) return Equivalent(gold, predicted); // "a = 2" inside a list
        if (MatrixArithmetic.IsMatrixExpression(gold) || MatrixArithmetic.IsMatrixExpression(predicted))
        {
            var goldMatrix = gold as MatrixNode ?? MatrixArithmetic.Reduce(gold);
            var predictedMatrix = predicted as MatrixNode ?? MatrixArithmetic.Reduce(predicted);
            return goldMatrix is not null && predictedMatrix is not null && ValuesEqual(goldMatrix, predictedMatrix);
        }
        if (OpenPairAgainstSet(gold, predicted) is { } pairVerdict) return pairVerdict;
        // Lists, sets and ± answers are all sets of values: "1 ± √5, −2" is {1 + √5, 1 − √5, −2}.
        var goldIsSet = IsUnordered(gold, out var goldItems);
        var predictedIsSet = IsUnordered(predicted, out var predictedItems);
        var goldElements = goldIsSet ? Flatten(goldItems) : MathNodeQueries.ExpandPlusMinus(gold);
        var predictedElements = predictedIsSet ? Flatten(predictedItems) : MathNodeQueries.ExpandPlusMinus(predicted);
        if (goldIsSet || predictedIsSet || goldElements.Count > 1 || predictedElements.Count > 1)
        {
            if (IsEmpty(gold) || IsEmpty(predicted)) return IsEmpty(gold) && IsEmpty(predicted);
            return SetsEqual(goldElements, predictedElements);
        }
        switch (gold, predicted)
        {
            case (EmptySetNode, _) or (_, EmptySetNode):
                return IsEmpty(gold) && IsEmpty(predicted);
            case (UnionNode, _) or (_, UnionNode):
                return SetsEqual(UnionParts(gold), UnionParts(predicted));
            case (BracketNode g, BracketNode p):
                return g.Open == p.Open && g.Close == p.Close && g.Items.Count == p.Items.Count
                       && g.Items.Zip(p.Items).All(pair => ValuesEqual(pair.First, pair.Second));
            case (MatrixNode g, MatrixNode p):
                return g.Rows.Count == p.Rows.Count && g.Rows[0].Count == p.Rows[0].Count
                       && g.Rows.Zip(p.Rows).All(rows => rows.First.Zip(rows.Second).All(c => ValuesEqual(c.First, c.Second)));
            case (BaseNumberNode g, BaseNumberNode p):
                return g.Digits == p.Digits && g.Base == p.Base;
            case (EllipsisNode, EllipsisNode):
                return true;
            case (PercentNode g, PercentNode p):
                return ValuesEqual(g.Operand, p.Operand);
            // A gold "28\%" accepts 28 and 0.28.
            case (PercentNode g, _):
                return ValuesEqual(g.Operand, predicted) || ExpressionsEqual(gold, predicted);
            // A predicted "\%" in LaTeX is typesetting ("\boxed{20\%}" answers 20); a plain "28%" is the value 0.28.
            case (_, PercentNode { LatexEscaped: true } p):
                return ValuesEqual(gold, p.Operand) || ExpressionsEqual(gold, predicted);
            case (SymbolNode g, SymbolNode p) when IsWord(g) && IsWord(p):
                return string.Equals(g.Name, p.Name, StringComparison.OrdinalIgnoreCase);
        }
        return ExpressionsEqual(gold, predicted);
    }

    /// <summary>
    /// Math-Verify reads "(1, 3)" as the open interval and "1, 3" or "{1, 3}" as a set, and takes the two for the same
    /// when the interval is proper (sympy's Interval(3, 1) is empty): in written order when the pair is the gold, in
    /// any order when it is the prediction. Null when neither side is such a pair against a two-element set.
    /// </summary>
    private bool? OpenPairAgainstSet(MathNode gold, MathNode predicted)
    {
        if (IsProperOpenPair(gold, out var goldPair) && IsUnordered(predicted, out var predictedItems) && predictedItems.Count == 2)
            return ValuesEqual(goldPair.Items[0], predictedItems[0]) && ValuesEqual(goldPair.Items[1], predictedItems[1]);
        if (IsUnordered(gold, out var goldItems) && goldItems.Count == 2 && IsProperOpenPair(predicted, out var predictedPair))
            return SetsEqual(goldItems, predictedPair.Items);
        return null;
    }

    private bool IsProperOpenPair(MathNode node, out BracketNode pair)
    {
        pair = node as BracketNode ?? new BracketNode('(', ')', Array.Empty<MathNode>());
        if (node is not BracketNode { Open: '(', Close: ')', Items.Count: 2 } b) return false;
        if (b.Items.Any(i => HasSymbols(i) || MathNodeQueries.ContainsStructural(i) || MathNodeQueries.ContainsPlusMinus(i))) return false;
        var low = ExpressionEvaluator.Evaluate(b.Items[0], NoVariables, _budget);
        var high = ExpressionEvaluator.Evaluate(b.Items[1], NoVariables, _budget);
        return !low.IsUndefined && !high.IsUndefined && low.Value < high.Value;
    }

    private static bool IsWord(SymbolNode s) => s.Name.Length >= 2 && s.Name.All(char.IsAsciiLetter);

    private static bool IsUnordered(MathNode node, out IReadOnlyList<MathNode> items)
    {
        items = node switch
        {
            ListNode l => l.Items,
            BracketNode { Open: '{' } set => set.Items,
            _ => Array.Empty<MathNode>(),
        };
        return node is ListNode or BracketNode { Open: '{' };
    }

    private static bool IsEmpty(MathNode node) => node is EmptySetNode || node is BracketNode { Open: '{', Items.Count: 0 };

    private static IReadOnlyList<MathNode> UnionParts(MathNode node) => node is UnionNode u ? u.Parts : new[] { node };

    private static IReadOnlyList<MathNode> Flatten(IReadOnlyList<MathNode> items) =>
        items.SelectMany(MathNodeQueries.ExpandPlusMinus).ToList();

    /// <summary>Same elements both ways (set semantics: "2, 2" equals "2").</summary>
    private bool SetsEqual(IReadOnlyList<MathNode> gold, IReadOnlyList<MathNode> predicted)
    {
        if (gold.Count > MaxCollectionSize || predicted.Count > MaxCollectionSize) return false;
        if (gold.Count == 0 || predicted.Count == 0) return gold.Count == predicted.Count;
        var matched = new bool[predicted.Count];
        foreach (var g in gold)
        {
            var found = false;
            for (var j = 0; j < predicted.Count; j++)
            {
                if (!ValuesEqual(g, predicted[j])) continue;
                matched[j] = true;
                found = true;
            }
            if (!found) return false;
        }
        return matched.All(m => m);
    }

    private bool ExpressionsEqual(MathNode gold, MathNode predicted)
    {
        if (MathNodeQueries.ContainsStructural(gold) || MathNodeQueries.ContainsStructural(predicted)) return false;
        if (MathNodeQueries.ContainsPlusMinus(gold) || MathNodeQueries.ContainsPlusMinus(predicted)) return false;
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        MathNodeQueries.CollectSymbols(gold, symbols);
        MathNodeQueries.CollectSymbols(predicted, symbols);
        var rounding = MathNodeQueries.HasDecimalLiteral(gold) || MathNodeQueries.HasDecimalLiteral(predicted);
        if (symbols.Count == 0)
        {
            var g = ExpressionEvaluator.Evaluate(gold, NoVariables, _budget);
            var p = ExpressionEvaluator.Evaluate(predicted, NoVariables, _budget);
            if (MathNodeQueries.IsInfinityLiteral(gold) || MathNodeQueries.IsInfinityLiteral(predicted))
                return g.IsInfinite && p.IsInfinite && g.Value == p.Value;
            return ScalarsEqual(g, p, rounding);
        }
        if (symbols.Count > MaxVariables) return false;
        var agreeing = 0;
        for (var k = 0; k < PointCount; k++)
        {
            var point = Point(symbols, k);
            var g = ExpressionEvaluator.Evaluate(gold, point, _budget);
            var p = ExpressionEvaluator.Evaluate(predicted, point, _budget);
            var gDefined = !g.IsUndefined && !g.IsInfinite;
            var pDefined = !p.IsUndefined && !p.IsInfinite;
            if (!gDefined && !pDefined) continue;
            if (gDefined != pDefined || !ScalarsEqual(g, p, rounding: false)) return false;
            agreeing++;
        }
        return agreeing >= 2;
    }

    private static readonly IReadOnlyDictionary<string, Scalar> NoVariables = new Dictionary<string, Scalar>();

    private static Dictionary<string, Scalar> Point(IEnumerable<string> symbols, int k)
    {
        var point = new Dictionary<string, Scalar>();
        var j = 0;
        foreach (var name in symbols)
        {
            var num = Numerators[(j + 3 * k) % Numerators.Length];
            var den = Denominators[(2 * j + k) % Denominators.Length];
            point[name] = Scalar.Of(BigRational.Create(num, den));
            j++;
        }
        return point;
    }

    private bool ScalarsEqual(Scalar a, Scalar b, bool rounding)
    {
        if (a.IsUndefined || b.IsUndefined || a.IsInfinite || b.IsInfinite) return false;
        if (a.IsExact && b.IsExact)
        {
            if (a.Exact == b.Exact) return true;
        }
        else
        {
            double x = a.Value, y = b.Value;
            if (Math.Abs(x - y) <= RelativeTolerance * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)))) return true;
        }
        if (!rounding) return false;
        var ra = a.IsExact ? a.Exact : BigRational.FromDouble(a.Value);
        var rb = b.IsExact ? b.Exact : BigRational.FromDouble(b.Value);
        return ra.ScaledRound(_decimalPlaces) == rb.ScaledRound(_decimalPlaces);
    }

    private static MathNode Difference(MathNode lhs, MathNode rhs) =>
        new SumNode(new[] { lhs, rhs }, new[] { SumSign.Plus, SumSign.Minus });

    private bool EquationsEquivalent(MathNode lhs1, MathNode rhs1, MathNode lhs2, MathNode rhs2) =>
        Proportional(Difference(lhs1, rhs1), Difference(lhs2, rhs2), positiveOnly: false);

    /// <summary>d1 = c · d2 for one constant c ≠ 0 (c &gt; 0 when <paramref name="positiveOnly"/>) at every test point.</summary>
    private bool Proportional(MathNode d1, MathNode d2, bool positiveOnly)
    {
        if (MathNodeQueries.ContainsStructural(d1) || MathNodeQueries.ContainsStructural(d2)) return false;
        if (MathNodeQueries.ContainsPlusMinus(d1) || MathNodeQueries.ContainsPlusMinus(d2)) return false;
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        MathNodeQueries.CollectSymbols(d1, symbols);
        MathNodeQueries.CollectSymbols(d2, symbols);
        if (symbols.Count == 0 || symbols.Count > MaxVariables) return false;
        Scalar? ratio = null;
        var agreeing = 0;
        for (var k = 0; k < PointCount + 1; k++)
        {
            var point = Point(symbols, k);
            var v1 = ExpressionEvaluator.Evaluate(d1, point, _budget);
            var v2 = ExpressionEvaluator.Evaluate(d2, point, _budget);
            if (v1.IsUndefined || v2.IsUndefined || v1.IsInfinite || v2.IsInfinite) continue;
            bool z1 = IsZero(v1), z2 = IsZero(v2);
            if (z1 && z2) continue;
            if (z1 != z2) return false;
            var r = v1 / v2;
            if (ratio is null)
            {
                if (positiveOnly && r.Value <= 0) return false;
                ratio = r;
            }
            else if (!ScalarsEqual(ratio.Value, r, rounding: false)) return false;
            agreeing++;
        }
        return agreeing >= 2;
    }

    private static bool IsZero(Scalar v) => v.IsExact ? v.Exact.IsZero : Math.Abs(v.Value) < 1e-12;
}
