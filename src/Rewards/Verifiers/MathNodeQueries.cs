namespace RlTrainer.Rewards.Verifiers;

/// <summary>Read-only walks over a <see cref="MathNode"/> tree, and the ± expansion the comparer needs.</summary>
internal static class MathNodeQueries
{
    /// <summary>Children of scalar-expression nodes (not of lists, brackets, relations or matrices).</summary>
    public static IEnumerable<MathNode> ScalarChildren(MathNode node) => node switch
    {
        SumNode s => s.Terms,
        ProductNode p => p.Factors,
        NegateNode n => new[] { n.Operand },
        PlusMinusNode pm => new[] { pm.Operand },
        PowerNode p => new[] { p.Base, p.Exponent },
        FunctionNode { Index: null } f => new[] { f.Argument },
        FunctionNode f => new[] { f.Argument, f.Index! },
        FactorialNode f => new[] { f.Operand },
        BinomialNode b => new[] { b.N, b.K },
        PercentNode p => new[] { p.Operand },
        _ => Array.Empty<MathNode>(),
    };

    /// <summary>True for nodes that are not a single number: collections, relations, matrices, base-n numerals.</summary>
    public static bool IsStructural(MathNode node) => node is ListNode or BracketNode or UnionNode or MatrixNode
        or EmptySetNode or EllipsisNode or RelationNode or BaseNumberNode;

    /// <summary>True when a structural node sits anywhere inside a scalar expression ("2·(1, 2)").</summary>
    public static bool ContainsStructural(MathNode node) =>
        IsStructural(node) || ScalarChildren(node).Any(ContainsStructural);

    public static void CollectSymbols(MathNode node, ISet<string> into)
    {
        if (node is SymbolNode s) into.Add(s.Name);
        foreach (var child in ScalarChildren(node)) CollectSymbols(child, into);
    }

    /// <summary>A written decimal anywhere makes the comparison tolerant to rounding at the configured places.</summary>
    public static bool HasDecimalLiteral(MathNode node) =>
        node is NumberNode { FractionDigits: > 0 } || ScalarChildren(node).Any(HasDecimalLiteral);

    public static bool ContainsPlusMinus(MathNode node) =>
        node is PlusMinusNode || node is SumNode s && s.Signs.Any(x => x is SumSign.PlusMinus or SumSign.MinusPlus)
        || ScalarChildren(node).Any(ContainsPlusMinus);

    /// <summary>
    /// "1 ± √5" → [1 + √5, 1 − √5]. All ± (and ∓) in one expression are read as one choice of sign, which is how
    /// "a ± b ∓ c" is meant.
    /// </summary>
    public static IReadOnlyList<MathNode> ExpandPlusMinus(MathNode node) =>
        ContainsPlusMinus(node) ? new[] { ChooseSign(node, plus: true), ChooseSign(node, plus: false) } : new[] { node };

    private static MathNode ChooseSign(MathNode node, bool plus)
    {
        MathNode Recurse(MathNode n) => ChooseSign(n, plus);
        return node switch
        {
            PlusMinusNode pm => plus ? Recurse(pm.Operand) : new NegateNode(Recurse(pm.Operand)),
            SumNode s => new SumNode(s.Terms.Select(Recurse).ToArray(), s.Signs.Select(sign => sign switch
            {
                SumSign.PlusMinus => plus ? SumSign.Plus : SumSign.Minus,
                SumSign.MinusPlus => plus ? SumSign.Minus : SumSign.Plus,
                _ => sign,
            }).ToArray()),
            ProductNode p => new ProductNode(p.Factors.Select(Recurse).ToArray(), p.Divides),
            NegateNode n => new NegateNode(Recurse(n.Operand)),
            PowerNode p => new PowerNode(Recurse(p.Base), Recurse(p.Exponent)),
            FunctionNode f => new FunctionNode(f.Name, Recurse(f.Argument), f.Index is null ? null : Recurse(f.Index)),
            FactorialNode f => new FactorialNode(Recurse(f.Operand)),
            BinomialNode b => new BinomialNode(Recurse(b.N), Recurse(b.K)),
            PercentNode p => new PercentNode(Recurse(p.Operand), p.LatexEscaped),
            _ => node,
        };
    }

    /// <summary>∞ or −∞ as written: the only way an infinite value may compare equal.</summary>
    public static bool IsInfinityLiteral(MathNode node) => node switch
    {
        ConstantNode { Constant: MathConstant.Infinity } => true,
        NegateNode n => IsInfinityLiteral(n.Operand),
        _ => false,
    };
}
