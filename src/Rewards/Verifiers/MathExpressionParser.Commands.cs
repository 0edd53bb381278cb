namespace RlTrainer.Rewards.Verifiers;

// LaTeX commands, functions and matrix environments: the atoms that start with a backslash.
internal sealed partial class MathExpressionParser
{
    private MathNode ParseCommand(string name)
    {
        switch (name)
        {
            case "frac": return ParseFractionArguments();
            case "binom": return new BinomialNode(ParseTexArgument(), ParseTexArgument());
            case "sqrt":
            {
                MathNode? index = null;
                if (_t.PeekChar() == '[')
                {
                    _t.Next();
                    index = ParseList();
                    Expect("]");
                }
                var arg = ParseTexArgument();
                return index is null ? new FunctionNode("sqrt", arg) : new FunctionNode("root", arg, index);
            }
            case "pi": return new ConstantNode(MathConstant.Pi);
            case "infty" or "infin": return new ConstantNode(MathConstant.Infinity);
            case "emptyset" or "varnothing": return new EmptySetNode();
            case "ldots" or "dots" or "cdots" or "dotsc" or "dotsb": return new EllipsisNode();
            case "lfloor": return ParseDelimited("floor", "rfloor");
            case "lceil": return ParseDelimited("ceil", "rceil");
            case "lbrace":
            {
                _setDepth++;
                var items = ParseItems();
                _setDepth--;
                if (!_t.Next().IsCommand("rbrace")) throw Fail();
                return new BracketNode('{', '}', items);
            }
            case "langle":
            {
                var items = ParseItems();
                if (!_t.Next().IsCommand("rangle")) throw Fail();
                return new BracketNode('<', '>', items);
            }
            case "mathbb":
            {
                var set = _t.NextRawGroup() ?? _t.NextChar().ToString();
                return set.Trim() == "R"
                    ? new BracketNode('(', ')', new MathNode[] { new NegateNode(new ConstantNode(MathConstant.Infinity)), new ConstantNode(MathConstant.Infinity) })
                    : new SymbolNode($"\\mathbb{{{set.Trim()}}}");
            }
            case "begin": return ParseMatrix();
            case "overline" or "bar" or "vec" or "hat" or "widehat" or "tilde" or "underline" or "mathcal"
                or "mathfrak" or "mathscr" or "overrightarrow":
            {
                var raw = _t.NextRawGroup() ?? _t.NextChar().ToString();
                return new SymbolNode($"\\{name}{{{raw.Replace(" ", "")}}}");
            }
        }
        if (FunctionNames.Contains(name)) return ParseFunction(name);
        if (NonStartingCommands.Contains(name)) throw Fail();
        return new SymbolNode(GreekLetters.Contains(name) ? "\\" + name : "\\" + name);
    }

    private ProductNode ParseFractionArguments()
    {
        var numerator = ParseTexArgument();
        var denominator = ParseTexArgument();
        return new ProductNode(new[] { numerator, denominator }, new[] { false, true });
    }

    /// <summary>A braced TeX argument, or one unbraced character/command ("\frac12", "\sqrt3", "\frac\pi2").</summary>
    private MathNode ParseTexArgument()
    {
        Enter();
        var c = _t.PeekChar();
        MathNode result;
        if (c == '{')
        {
            _t.Next();
            result = ParseList();
            Expect("}");
        }
        else if (char.IsAsciiDigit(c))
        {
            _t.NextChar();
            result = new NumberNode(BigRational.FromInteger(c - '0'), 0);
        }
        else if (char.IsAsciiLetter(c)) result = new SymbolNode(_t.NextChar().ToString());
        else if (c == '\\') result = ParseAtom();
        else throw Fail();
        _depth--;
        return result;
    }

    private MathNode ParseDelimited(string function, string closeCommand)
    {
        var inner = ParseList();
        if (!_t.Next().IsCommand(closeCommand)) throw Fail();
        return new FunctionNode(function, inner);
    }

    private MathNode ParseFunction(string name)
    {
        Enter();
        MathNode? index = null;
        if (name is "log" && _t.Peek().Is("_"))
        {
            _t.Next();
            index = ParseTexArgument();
        }
        MathNode? power = null;
        if (_t.Peek().Is("^"))
        {
            _t.Next();
            power = ParseExponent();
        }
        var next = _t.Peek();
        MathNode arg = next.Is("(") ? ParseAtom() : next.Is("{") ? ParseTexArgument() : ParseTightArgument();
        if (arg is BracketNode) throw Fail();
        var canonical = name switch { "ln" => "log", "lg" => "log10", _ => name };
        MathNode fn;
        if (power is NegateNode { Operand: NumberNode { Value.IsInteger: true } one } && one.Value == BigRational.One
            && canonical is "sin" or "cos" or "tan")
        {
            fn = new FunctionNode("arc" + canonical, arg);
        }
        else
        {
            fn = new FunctionNode(canonical, arg, index);
            if (power is not null) fn = new PowerNode(fn, power);
        }
        _depth--;
        return fn;
    }

    // "\sin 2x" is sin(2x); "\sin b \cos a" is sin(b)·cos(a): an unparenthesized argument takes numbers and
    // letters up to the next operator or command.
    private MathNode ParseTightArgument()
    {
        var factors = new List<MathNode> { ParsePower() };
        while (true)
        {
            var t = _t.Peek();
            if (t.Kind == TokenKind.Word && !FunctionNames.Contains(t.Text) || t.Kind == TokenKind.Number && factors[^1] is not NumberNode)
                factors.Add(ParsePower());
            else break;
        }
        return factors.Count == 1 ? factors[0] : new ProductNode(factors, factors.Select(_ => false).ToArray());
    }

    private MathNode ParseMatrix()
    {
        var env = (_t.NextRawGroup() ?? throw Fail()).Trim();
        if (env is not ("pmatrix" or "bmatrix" or "matrix" or "smallmatrix" or "array" or "Bmatrix")) throw Fail();
        if (env == "array") _t.NextRawGroup(); // column spec "{cc}"
        var rows = new List<IReadOnlyList<MathNode>>();
        var row = new List<MathNode>();
        while (true)
        {
            _budget.Check();
            var t = _t.Peek();
            if (t.IsCommand("end"))
            {
                _t.Next();
                _t.NextRawGroup();
                break;
            }
            if (t.Kind == TokenKind.End) throw Fail();
            row.Add(ParseList());
            t = _t.Peek();
            if (t.Is("&")) _t.Next();
            else if (t.Is("\\\\")) { _t.Next(); rows.Add(row); row = new List<MathNode>(); }
            else if (!t.IsCommand("end")) throw Fail();
        }
        if (row.Count > 0) rows.Add(row);
        if (rows.Count == 0 || rows.Any(r => r.Count != rows[0].Count)) throw Fail();
        return new MatrixNode(rows);
    }
}
