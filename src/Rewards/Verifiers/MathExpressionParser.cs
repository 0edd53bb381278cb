namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Recursive-descent parser from a normalized answer to a <see cref="MathNode"/> tree. Grammar, loosest first:
/// list (",") → relation (=, &lt;, ≤, ≈, ∈) → union (∪) → sum (+ − ±) → product (· / and juxtaposition) →
/// factor (unary − ±) → power (^) → postfix (!, subscript) → atom. Returns null for anything it does not
/// understand: an unparsed answer is compared as a string only, never guessed at.
/// </summary>
internal sealed partial class MathExpressionParser
{
    /// <summary>Nesting limit: deeper input is rejected, since a stack overflow cannot be caught in .NET.</summary>
    private const int MaxDepth = 48;

    private static readonly HashSet<string> FunctionNames = new()
    {
        "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
        "log", "ln", "lg", "exp", "sqrt", "abs",
    };

    // Commands that cannot begin a factor, so they end a juxtaposition product ("2x \cdot 3" is not 2x·\cdot).
    private static readonly HashSet<string> NonStartingCommands = new()
    {
        "cdot", "times", "div", "ast", "pm", "mp", "le", "leq", "leqslant", "ge", "geq", "geqslant", "ne", "neq",
        "lt", "gt", "approx", "cup", "cap", "in", "notin", "to", "end", "rfloor", "rceil", "rangle", "rbrace",
        "rightarrow", "Rightarrow", "implies", "iff", "quad", "setminus",
    };

    private static readonly HashSet<string> GreekLetters = new()
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
        "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega", "ell",
    };

    private readonly MathTokenizer _t;
    private readonly VerifierBudget _budget;
    private int _depth;
    private int _absDepth;
    private int _setDepth; // inside \{ \}: "\{x : x > 0\}" is set-builder notation, where ':' is no ratio

    private MathExpressionParser(string text, VerifierBudget budget)
    {
        _t = new MathTokenizer(text);
        _budget = budget;
    }

    /// <summary>Parses a normalized answer; null when it is empty or not understood.</summary>
    /// <exception cref="VerifierTimeoutException">when the budget runs out.</exception>
    public static MathNode? TryParse(string normalized, VerifierBudget budget)
    {
        if (string.IsNullOrWhiteSpace(normalized)) return null;
        var parser = new MathExpressionParser(normalized, budget);
        try
        {
            var node = parser.ParseList(groupSemicolons: true);
            return parser._t.Peek().Kind == TokenKind.End ? node : null;
        }
        catch (MathParseException)
        {
            return null;
        }
    }

    private sealed class MathParseException : Exception { }

    private static MathParseException Fail() => new();

    private void Enter()
    {
        if (++_depth > MaxDepth) throw Fail();
        _budget.Check();
    }

    private void Expect(string punct)
    {
        if (!_t.Next().Is(punct)) throw Fail();
    }

    private bool AtListEnd()
    {
        var t = _t.Peek();
        return t.Kind == TokenKind.End || t.Is(")") || t.Is("]") || t.Is("}") || t.Is("\\}") || t.Is("&")
               || t.Is("\\\\") || t.Is("|") || t.IsCommand("end") || t.IsCommand("rangle") || t.IsCommand("rfloor")
               || t.IsCommand("rceil");
    }

    /// <summary>
    /// Items separated by "," or ";". With <paramref name="groupSemicolons"/> (the whole answer, as latex2sympy2
    /// reads it), semicolons separate groups and groups of several items are tuples: "p=5,q=2;p=7,q=2" is two
    /// solutions of two parts, while "-12;-11;-10" stays a list. Inside brackets "(0;-2;6)" is one flat tuple.
    /// </summary>
    private MathNode ParseList(bool groupSemicolons = false)
    {
        Enter();
        var groups = new List<List<MathNode>> { new() { ParseRelation() } };
        while (_t.Peek().Is(",") || _t.Peek().Is(";"))
        {
            var separator = _t.Next();
            if (AtListEnd()) break; // "1, 2," — a trailing separator
            if (groupSemicolons && separator.Is(";")) groups.Add(new List<MathNode>());
            groups[^1].Add(ParseRelation());
        }
        _depth--;
        if (groups.Count > 1 && groups.Any(g => g.Count > 1))
            return new ListNode(groups.Select(g => g.Count == 1 ? g[0] : new BracketNode('(', ')', g)).ToList());
        var items = groups.SelectMany(g => g).ToList();
        return items.Count == 1 ? items[0] : new ListNode(items);
    }

    private static bool TryRelation(MathToken t, out RelationOperator op)
    {
        op = default;
        var text = t.Kind switch { TokenKind.Punct => t.Text.TrimStart('\\'), TokenKind.Command => t.Text, _ => null };
        switch (text)
        {
            case "=": op = RelationOperator.Equal; return true;
            case "<" or "lt": op = RelationOperator.Less; return true;
            case ">" or "gt": op = RelationOperator.Greater; return true;
            case "le" or "leq" or "leqslant": op = RelationOperator.LessEqual; return t.Kind == TokenKind.Command || t.Text.StartsWith('\\');
            case "ge" or "geq" or "geqslant": op = RelationOperator.GreaterEqual; return t.Kind == TokenKind.Command || t.Text.StartsWith('\\');
            case "ne" or "neq": op = RelationOperator.NotEqual; return t.Kind == TokenKind.Command || t.Text.StartsWith('\\');
            case "approx": op = RelationOperator.Approx; return t.Kind == TokenKind.Command;
            default: return false;
        }
    }

    private MathNode ParseRelation()
    {
        Enter();
        var first = ParseUnion();
        if (_t.Peek().IsCommand("in"))
        {
            // "x \in [0, 1)": the answer is the set; anything else on the left is not an answer form we grade.
            _t.Next();
            if (first is not SymbolNode) throw Fail();
            var set = ParseUnion();
            _depth--;
            return set;
        }
        if (!TryRelation(_t.Peek(), out _)) { _depth--; return first; }
        var operands = new List<MathNode> { first };
        var ops = new List<RelationOperator>();
        while (TryRelation(_t.Peek(), out var op))
        {
            _t.Next();
            ops.Add(op);
            operands.Add(ParseUnion());
        }
        _depth--;
        return new RelationNode(operands, ops);
    }

    private MathNode ParseUnion()
    {
        Enter();
        var parts = new List<MathNode> { ParseSum() };
        while (_t.Peek().IsCommand("cup"))
        {
            _t.Next();
            parts.Add(ParseSum());
        }
        _depth--;
        return parts.Count == 1 ? parts[0] : new UnionNode(parts);
    }

    private bool TryReadSign(out SumSign sign)
    {
        var t = _t.Peek();
        sign = t.Is("+") ? SumSign.Plus : t.Is("-") ? SumSign.Minus
             : t.IsCommand("pm") ? SumSign.PlusMinus : t.IsCommand("mp") ? SumSign.MinusPlus : (SumSign)(-1);
        if ((int)sign < 0) return false;
        _t.Next();
        return true;
    }

    private MathNode ParseSum()
    {
        Enter();
        var terms = new List<MathNode>();
        var signs = new List<SumSign>();
        if (!TryReadSign(out var sign)) sign = SumSign.Plus;
        terms.Add(ParseProduct());
        signs.Add(sign);
        while (TryReadSign(out sign))
        {
            _budget.Check();
            terms.Add(ParseProduct());
            signs.Add(sign);
        }
        _depth--;
        if (terms.Count > 1) return new SumNode(terms, signs);
        return signs[0] switch
        {
            SumSign.Plus => terms[0],
            SumSign.Minus => new NegateNode(terms[0]),
            _ => new SumNode(terms, signs),
        };
    }

    private MathNode ParseProduct()
    {
        Enter();
        var factors = new List<MathNode> { ParseFactor() };
        var divides = new List<bool> { false };
        while (true)
        {
            _budget.Check();
            var t = _t.Peek();
            if (t.Is("*") || t.IsCommand("cdot") || t.IsCommand("times") || t.IsCommand("ast"))
            {
                _t.Next();
                factors.Add(ParseFactor());
                divides.Add(false);
            }
            else if (t.Is("/") || t.IsCommand("div") || (t.Is(":") && _setDepth == 0)) // a ratio a:b is a/b, as in latex2sympy2
            {
                _t.Next();
                factors.Add(ParseFactor());
                divides.Add(true);
            }
            else if (t.Is("%") || t.Is("\\%"))
            {
                _t.Next();
                MathNode whole = factors.Count == 1 ? factors[0] : new ProductNode(factors.ToArray(), divides.ToArray());
                factors = new List<MathNode> { new PercentNode(whole, t.Is("\\%")) };
                divides = new List<bool> { false };
            }
            else if (t.IsCommand("frac") && factors.Count == 1 && factors[0] is NumberNode { FractionDigits: 0 } whole
                     && whole.Value.IsInteger && whole.Value.Sign >= 0)
            {
                _t.Next();
                var fraction = ParseFractionArguments();
                factors[0] = MixedOrProduct(whole, fraction);
                if (factors[0] is ProductNode p) { factors = p.Factors.ToList(); divides = p.Divides.ToList(); }
            }
            else if (CanStartImplicitFactor(t))
            {
                factors.Add(ParseFactor());
                divides.Add(false);
            }
            else break;
        }
        _depth--;
        return factors.Count == 1 ? factors[0] : new ProductNode(factors, divides);
    }

    // "2\frac{1}{2}" is the mixed number 5/2 (how MATH writes them); "2\frac{3}{2}" or "2\frac{x}{2}" is a product.
    private static MathNode MixedOrProduct(NumberNode whole, ProductNode fraction)
    {
        if (fraction.Factors is [NumberNode { FractionDigits: 0 } n, NumberNode { FractionDigits: 0 } d]
            && n.Value.IsInteger && d.Value.IsInteger && n.Value.Sign >= 0 && n.Value.CompareTo(d.Value) < 0)
            return new NumberNode(whole.Value + n.Value / d.Value, 0);
        return new ProductNode(new MathNode[] { whole, fraction }, new[] { false, false });
    }

    private bool CanStartImplicitFactor(MathToken t) => t.Kind switch
    {
        TokenKind.Word => true,
        TokenKind.Command => !NonStartingCommands.Contains(t.Text),
        TokenKind.Punct => t.Is("(") || t.Is("{") || (t.Is("|") && _absDepth == 0),
        _ => false, // a number right after a factor ("2 3") is not a product anyone writes
    };

    private MathNode ParseFactor()
    {
        Enter();
        MathNode result;
        var t = _t.Peek();
        if (t.Is("-")) { _t.Next(); result = new NegateNode(ParseFactor()); }
        else if (t.Is("+")) { _t.Next(); result = ParseFactor(); }
        else if (t.IsCommand("pm")) { _t.Next(); result = new PlusMinusNode(ParseFactor()); }
        else result = ParsePower();
        _depth--;
        return result;
    }

    private MathNode ParsePower()
    {
        Enter();
        var b = ParsePostfix();
        if (_t.Peek().Is("^"))
        {
            _t.Next();
            b = new PowerNode(b, ParseExponent());
        }
        _depth--;
        return b;
    }

    private MathNode ParseExponent()
    {
        Enter();
        MathNode e;
        var t = _t.Peek();
        if (t.Is("{")) e = ParseAtom();
        else if (t.Is("-")) { _t.Next(); e = new NegateNode(ParseExponentAtom()); }
        else if (t.Is("+")) { _t.Next(); e = ParseExponentAtom(); }
        else e = ParseExponentAtom();
        if (_t.Peek().Is("^"))
        {
            _t.Next();
            e = new PowerNode(e, ParseExponent());
        }
        _depth--;
        return e;
    }

    // Plain-text "2^10" means 2^{10}; TeX would read 2^1·0, which nobody intends in an answer.
    private MathNode ParseExponentAtom()
    {
        var t = _t.Peek();
        if (t.Kind == TokenKind.Word && t.Text.Length > 1 && !FunctionNames.Contains(t.Text))
        {
            var c = _t.NextChar();
            return new SymbolNode(c.ToString());
        }
        return ParsePostfix();
    }

    private MathNode ParsePostfix()
    {
        Enter();
        var a = ParseAtom();
        while (true)
        {
            var t = _t.Peek();
            if (t.Is("!")) { _t.Next(); a = new FactorialNode(a); }
            else if (t.Is("_") && a is SymbolNode s) { _t.Next(); a = new SymbolNode($"{s.Name}_{ReadSubscript()}"); }
            else if (t.Is("_") && a is NumberNode { FractionDigits: 0 } n && n.Value.IsInteger)
            {
                _t.Next();
                a = new BaseNumberNode(n.Value.ToString(), ReadSubscript());
            }
            else if (t.Is("'") && a is SymbolNode p) { _t.Next(); a = new SymbolNode(p.Name + "'"); }
            else break;
        }
        _depth--;
        return a;
    }

    private string ReadSubscript()
    {
        var group = _t.NextRawGroup();
        if (group is not null) return group.Replace(" ", "").Trim('(', ')');
        var run = _t.NextRawAlphanumericRun();
        if (run.Length == 0) throw Fail();
        return run;
    }

    private MathNode ParseAtom()
    {
        Enter();
        var t = _t.Next();
        MathNode result = t.Kind switch
        {
            TokenKind.Number => new NumberNode(t.Value, t.FractionDigits),
            TokenKind.Word => ParseWord(t.Text),
            TokenKind.Command => ParseCommand(t.Text),
            TokenKind.Punct => ParseBracketed(t),
            _ => throw Fail(),
        };
        _depth--;
        return result;
    }

    private MathNode ParseWord(string word)
    {
        if (FunctionNames.Contains(word)) return ParseFunction(word);
        return word switch
        {
            "pi" => new ConstantNode(MathConstant.Pi),
            "inf" or "infty" or "infinity" => new ConstantNode(MathConstant.Infinity),
            _ => new SymbolNode(word),
        };
    }

    private MathNode ParseBracketed(MathToken t)
    {
        switch (t.Text)
        {
            case "(" or "[":
            {
                var items = ParseItems();
                var close = _t.Next();
                if (!close.Is(")") && !close.Is("]")) throw Fail();
                var closeChar = close.Text[0];
                if (items.Count == 1 && (t.Text[0] == '(' ? closeChar == ')' : closeChar == ']')) return items[0];
                return new BracketNode(t.Text[0], closeChar, items);
            }
            case "{":
            {
                if (_t.Peek().Is("}")) { _t.Next(); return new EmptySetNode(); }
                var items = ParseItems();
                Expect("}");
                return items.Count == 1 ? items[0] : new ListNode(items);
            }
            case "\\{":
            {
                if (_t.Peek().Is("\\}")) { _t.Next(); return new EmptySetNode(); }
                _setDepth++;
                var items = ParseItems();
                _setDepth--;
                Expect("\\}");
                return new BracketNode('{', '}', items);
            }
            case "|":
            {
                _absDepth++;
                var inner = ParseList();
                Expect("|");
                _absDepth--;
                return new FunctionNode("abs", inner);
            }
            case "...":
                return new EllipsisNode();
            default:
                throw Fail();
        }
    }

    private List<MathNode> ParseItems()
    {
        var node = ParseList();
        return node is ListNode list ? list.Items.ToList() : new List<MathNode> { node };
    }
}
