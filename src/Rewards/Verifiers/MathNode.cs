namespace RlTrainer.Rewards.Verifiers;

// The parsed form of one answer. Sums and products are n-ary so that "1+1+...+1" stays shallow (recursion
// depth, not length, is what can overflow the stack). These small records are internal and live together.

/// <summary>Base of the answer syntax tree.</summary>
internal abstract record MathNode;

/// <summary>A written number; <paramref name="FractionDigits"/> &gt; 0 marks a decimal, which may be an approximation.</summary>
internal sealed record NumberNode(BigRational Value, int FractionDigits) : MathNode;

/// <summary>A variable, a subscripted variable ("x_1"), a Greek letter or a word ("Evelyn").</summary>
internal sealed record SymbolNode(string Name) : MathNode;

/// <summary>π or ∞.</summary>
internal sealed record ConstantNode(MathConstant Constant) : MathNode;

internal enum MathConstant { Pi, Infinity }

internal enum SumSign { Plus, Minus, PlusMinus, MinusPlus }

/// <summary>Σ sign_i · term_i; ± signs are expanded away before evaluation.</summary>
internal sealed record SumNode(IReadOnlyList<MathNode> Terms, IReadOnlyList<SumSign> Signs) : MathNode;

/// <summary>Π factor_i^(±1); <paramref name="Divides"/>[i] marks a divisor.</summary>
internal sealed record ProductNode(IReadOnlyList<MathNode> Factors, IReadOnlyList<bool> Divides) : MathNode;

internal sealed record NegateNode(MathNode Operand) : MathNode;

/// <summary>Unary ±x.</summary>
internal sealed record PlusMinusNode(MathNode Operand) : MathNode;

internal sealed record PowerNode(MathNode Base, MathNode Exponent) : MathNode;

/// <summary>sqrt, root (Index = degree), sin…, log (Index = base), abs, floor, ceil.</summary>
internal sealed record FunctionNode(string Name, MathNode Argument, MathNode? Index = null) : MathNode;

internal sealed record FactorialNode(MathNode Operand) : MathNode;

internal sealed record BinomialNode(MathNode N, MathNode K) : MathNode;

/// <summary>x%; <paramref name="LatexEscaped"/> when written "\%" (see the comparer for why that matters).</summary>
internal sealed record PercentNode(MathNode Operand, bool LatexEscaped) : MathNode;

/// <summary>A numeral in another base, "204_5": compared as written, never converted.</summary>
internal sealed record BaseNumberNode(string Digits, string Base) : MathNode;

/// <summary>Bracketed items: tuples and intervals ('(' or '[' with ')' or ']'), sets ('{', '}'), vectors ('&lt;', '&gt;').</summary>
internal sealed record BracketNode(char Open, char Close, IReadOnlyList<MathNode> Items) : MathNode;

/// <summary>A bare comma-separated list "1, 2": an unordered collection of answers.</summary>
internal sealed record ListNode(IReadOnlyList<MathNode> Items) : MathNode;

internal enum RelationOperator { Equal, Less, LessEqual, Greater, GreaterEqual, NotEqual, Approx }

/// <summary>A chain a op b op c …</summary>
internal sealed record RelationNode(IReadOnlyList<MathNode> Operands, IReadOnlyList<RelationOperator> Operators) : MathNode;

internal sealed record UnionNode(IReadOnlyList<MathNode> Parts) : MathNode;

internal sealed record MatrixNode(IReadOnlyList<IReadOnlyList<MathNode>> Rows) : MathNode;

internal sealed record EmptySetNode : MathNode;

/// <summary>"…" in a list: "1, 2, 3, …" is not "1, 2, 3".</summary>
internal sealed record EllipsisNode : MathNode;
